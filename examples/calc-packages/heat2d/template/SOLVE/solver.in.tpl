/*--------------------------------*- C++ -*----------------------------------*\
|  heat2d: 2-D heat conduction on a square plate         solver input         |
\*---------------------------------------------------------------------------*/
// Mirror renders this file into solver.in for every job: a parameter name in single
// braces becomes the job's value. Every other brace is dictionary syntax and is kept,
// a ${...} run is kept verbatim, and a doubled {{name}} loses one pair of braces.

// heat2d-solve expands ${NAME} and ${NAME:-default} from its environment when it runs.
title       "heat2d job ${MIRROR_JOB_ID:-local}";

// heat2d-solve fills these names itself: scheme, cells, nodes, length, material, iterations.
banner      "{{scheme}} iteration on {{cells}} x {{cells}} cells of {{material}}";

solver
{
    scheme      {scheme};       // explicit | jacobi | gauss-seidel | sor
    iterations  {iterations};   // at most this many sweeps (time steps for explicit)
    tolerance   {tolerance};    // stop when the scaled residual falls to this; 0: never
    omega       {omega};        // sor only: relaxation factor in (0, 2), or auto
    fourier     {fourier};      // explicit only: alpha dt / h^2, at most 0.25
    writeEvery  1;              // print and record the residual every this many sweeps
    delayMs     {delay_ms};     // sleep after each printed sweep, to watch a demo
}

plate
{
    mesh        "../MESH/grid.dat";
    material    "{material}";   // conductivity (and density, specificHeat) in W, m, kg, K
    source      {source};       // heat generated in the plate, W/m^3
    initial     {t_init};       // starting temperature of the unknown nodes, degC
}

boundary
{
    top     { type fixedValue;  value {t_top}; }
    bottom  { type fixedValue;  value {t_bottom}; }
    left    { type fixedValue;  value {t_left}; }
    right   { type fixedValue;  value {t_right}; }
}

// ************************************************************************* //
