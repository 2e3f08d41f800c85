/**
 * The error catalog: every failure Mirror reports, as a code, an HTTP status and a
 * message template. `{name}` in a template is filled from the error's params.
 *
 * The first three messages are the original system's, kept byte for byte (its
 * users' scripts compare them). Everything else names what was wrong and the value.
 * Add new codes to the section of their concern; never reword a seed message.
 */
export interface CatalogEntry {
  readonly status: number;
  readonly message: string;
}

export const errorCatalog = {
  // --- seed messages (byte for byte from the original job API) ---------------
  JOB_NOT_FOUND: { status: 404, message: 'job is not existed , job : {job}' },
  PACKAGE_NOT_FOUND: { status: 404, message: 'calcpackage is not existed , calcpackage : {calcpackage}' },
  JOB_NOT_RUNNING: { status: 409, message: 'job not running , jobid : {jobid}' },
  // --- the same shape for Mirror's other lookups -------------------------------
  PROJECT_NOT_FOUND: { status: 404, message: 'project is not existed , project : {project}' },
  JOB_IS_RUNNING: { status: 409, message: 'job is running , jobid : {jobid}' },

  // --- jobs on resource machines -------------------------------------------------
  JOB_NOT_CLAIMED: {
    status: 409,
    message: 'job {jobid} is not claimed by a resource machine yet (state {state})',
  },
  JOB_WRONG_RID: { status: 409, message: 'job {jobid} is on rid {rid}, not on rid {here}' },
  JOB_WRONG_STATE: { status: 409, message: 'job {jobid} is {state}; {operation} needs it {needed}' },
  TRANSITION_ILLEGAL: {
    status: 409,
    message: 'job {jobid}: the transition table has no change from {from} to {to}',
  },
  JOB_DIR_EXISTS: {
    status: 409,
    message: 'job {jobid} already has its directory {path}; use force=1 to build a new one',
  },
  JOB_NO_DIR: { status: 409, message: 'job {jobid} has no run directory; call dirbuild first' },
  RUN_DIR_FOREIGN: {
    status: 409,
    message:
      'job {jobid}: its path {path} is not one of its run directories under {root}; refusing to touch it',
  },
  STEP_UNKNOWN: { status: 400, message: 'job {jobid} has no step {step} (steps: {steps})' },
  STEP_NONE_LEFT: { status: 409, message: 'job {jobid} has no step left to run; name one to run it again' },
  RUN_PATH_MISSING: {
    status: 409,
    message: '{what} {path}: directory {missing} does not exist in the run directory (create="0")',
  },
  RUN_PATH_BLOCKED: {
    status: 409,
    message: '{what} {path}: {blocker} is {kind}; refusing to write through it',
  },
  PARAM_NAME_INVALID: { status: 400, message: 'parameter name {name} is not an identifier (or is reserved)' },
  PARAM_VALUE_INVALID: { status: 400, message: 'parameter {name}: the value must be text' },
  ACTION_REFUSED: { status: 409, message: '{message}' },
  BULK_UNNAMED: {
    status: 400,
    message:
      'name the jobs to {action}: ids, or a selector (state, project, package, dispatch, rid, label); a request naming none is not taken for every job',
  },
  BULK_BOTH: { status: 400, message: 'name the jobs by ids or by a selector, not both' },
  PACKAGE_IN_USE: {
    status: 409,
    message:
      'calc package {calcpackage} is used by {count} jobs; delete them first, or force it (force=1: the jobs keep their rows but cannot be built again)',
  },
  PROJECT_IN_USE: {
    status: 409,
    message:
      'project {project} is used by {count} jobs; delete them first, or force it (force=1: the jobs keep their rows but cannot be built again)',
  },
  NO_FREE_SLOT: {
    status: 503,
    message: 'rid {rid} has no free slot ({slots} steps running); try again later',
  },

  // --- config -------------------------------------------------------------------
  CONFIG_INVALID: { status: 500, message: 'config key {key} (from {source}): {reason}' },
  CONFIG_FILE_UNREADABLE: { status: 500, message: 'config file {file} cannot be read: {reason}' },

  // --- XML (adapter.xml and para files) ---------------------------------------------
  XML_TOO_LARGE: { status: 413, message: '{file} is {size} bytes, over the limit of {limit}' },
  XML_MALFORMED: { status: 400, message: '{file} line {line}: malformed XML: {reason}' },
  XML_FORBIDDEN: { status: 400, message: '{file} line {line}: {construct} is not allowed' },
  XML_TOO_DEEP: { status: 400, message: '{file} line {line}: nesting deeper than {limit}' },
  XML_ENCODING: { status: 400, message: '{file} line {line}: encoding "{encoding}" is not UTF-8' },
  XML_ROOT: {
    status: 400,
    message: '{file} line {line}: root element is <{element}>, expected <{expected}>',
  },
  XML_UNKNOWN_ELEMENT: {
    status: 400,
    message: '{file} line {line}: unknown element <{element}> in <{parent}>',
  },
  XML_UNKNOWN_ATTRIBUTE: {
    status: 400,
    message: '{file} line {line}: unknown attribute "{attribute}" on <{element}>',
  },
  XML_MISSING_ATTRIBUTE: {
    status: 400,
    message: '{file} line {line}: <{element}> needs attribute "{attribute}"',
  },
  XML_BAD_ATTRIBUTE: {
    status: 400,
    message: '{file} line {line}: <{element}> {attribute}="{value}": {reason}',
  },
  XML_TEXT: { status: 400, message: '{file} line {line}: unexpected text "{text}" in <{element}>' },

  // --- para files ---
  PARA_EMPTY_VALUES: {
    status: 400,
    message: '{file} line {line}: <Param> "{name}" has an empty values list',
  },
  PARA_DUPLICATE_VALUE: {
    status: 400,
    message: '{file} line {line}: <Param> "{name}" lists the value "{value}" twice',
  },
  PARA_DUPLICATE_PARAM: {
    status: 400,
    message: '{file} line {line}: parameter "{name}" is listed twice in {where} (first on line {first})',
  },
  PARA_VARIED_TWICE: {
    status: 400,
    message:
      '{file} line {line}: parameter "{name}" already varies in the <States> on line {first}; a parameter varies in one <States> only',
  },
  PARA_ZIP_LENGTHS: {
    status: 400,
    message:
      '{file} line {line}: zip lists differ in length: "{name}" has {count} values, "{first}" has {firstCount}',
  },
  PARA_EMPTY_STATES: {
    status: 400,
    message: '{file} line {line}: <States> is empty; it needs <Param> or <State> elements',
  },
  PARA_MIXED_STATES: {
    status: 400,
    message:
      '{file} line {line}: <{element}> in a <States> that holds <{other}> (line {first}); a <States> holds one kind only',
  },
  PARA_RULE_ON_STATES: {
    status: 400,
    message:
      '{file} line {line}: <States rule="{rule}"> holds <State> elements; an explicit list takes no rule',
  },
  PARA_DUPLICATE_STATE: {
    status: 400,
    message: '{file} line {line}: <State> "{name}" is already defined on line {first}',
  },
  PARA_STATE_MISSING: {
    status: 400,
    message:
      '{file} line {line}: <State> "{state}" does not set "{name}", which another <State> of its <States> sets, and "{name}" has no default',
  },
  PARA_TOO_MANY_STATES: {
    status: 400,
    message: '{file} makes {count} states, over the limit of {limit} (maxStates)',
  },
  PARA_TOO_MANY_VALUES: {
    status: 400,
    message:
      '{file} makes {states} states of {params} parameters, {count} values, over the limit of {limit} (maxValues)',
  },

  // --- projects ---------------------------------------------------------------------
  PROJECT_NAME_INVALID: { status: 400, message: 'project name {name}: {reason}' },
  PROJECT_FILE_NOT_FOUND: { status: 404, message: 'project file {file} is not in project {project}' },
  PROJECT_FILE_DUPLICATE: { status: 400, message: 'project file {file} is given twice' },
  STORED_FILE_MISSING: {
    status: 500,
    message: 'stored file {sha256} ({what}) is missing from the file store',
  },

  // --- dispatch -----------------------------------------------------------------------
  PARA_NOT_IN_PROJECT: { status: 404, message: 'para file {para} is not in project {project}' },
  DISPATCH_UNRESOLVED: {
    status: 400,
    message: '{para} state {state}: placeholder {placeholder} in {where} has no value',
  },
  DISPATCH_MISSING_FILE: {
    status: 400,
    message: '{para} state {state}: copy rule file {file} is not in project {project}',
  },
  DISPATCH_NOT_FOUND: { status: 404, message: 'dispatch is not existed , dispatch : {dispatch}' },
  DISPATCH_BAD_PATH: { status: 400, message: '{para} state {state}: {where} renders to {path}: {reason}' },
  DISPATCH_BAD_RESOURCE: {
    status: 400,
    message: '{para} state {state}: ExeArgument {step} {attribute} renders to {value}: {reason}',
  },

  // --- service arguments (RPC kwargs and /proxy query strings) -----------------
  RPC_TIMEOUT: { status: 504, message: 'no reply to {call} within {seconds} s' },
  SERVICE_UNKNOWN: { status: 404, message: 'unknown service {service}' },
  METHOD_UNKNOWN: { status: 404, message: 'unknown method {method} of service {service}' },
  ARG_REPEATED: { status: 400, message: 'argument {name} is given more than once' },
  ARG_UNKNOWN: { status: 400, message: 'unknown argument {name}' },
  ARG_MISSING: { status: 400, message: 'missing argument {name}' },
  ARG_INVALID: { status: 400, message: 'argument {name}: {value} is not {expected}' },

  // --- the hub as a remote agent reaches it (over HTTP) ---------------------------
  HUB_UNREACHABLE: { status: 503, message: 'hub {url} did not answer {request}: {reason}' },
  HUB_BUSY: { status: 503, message: 'the hub could not answer {request} now: {reason}' },
  BLOB_MISMATCH: { status: 400, message: 'blob {sha256} from {source}: its content hashes to {actual}' },

  // --- store ----------------------------------------------------------------------
  STORE_URL_INVALID: { status: 500, message: 'store URL {url} is not supported: {reason}' },
  STORE_UNAVAILABLE: { status: 503, message: 'cannot open the store at {url}: {reason}' },
  STORE_SCHEMA_NEWER: {
    status: 500,
    message: 'database schema version {version} is newer than this Mirror (knows {known}); upgrade Mirror',
  },
  STORED_FILE_NOT_FOUND: { status: 404, message: 'stored file is not existed , sha256 : {sha256}' },

  // --- archives and paths ---
  PATH_INVALID: { status: 400, message: '{what} {path}: {reason}' },
  ARCHIVE_UNREADABLE: { status: 400, message: '{file}: not a readable zip archive: {reason}' },
  ARCHIVE_ENTRY_REFUSED: { status: 400, message: '{file} entry {entry}: {reason}' },
  ARCHIVE_ENTRY_CORRUPT: { status: 400, message: '{file} entry {entry}: corrupt data: {reason}' },
  ARCHIVE_ENTRY_LINK: { status: 400, message: '{file} entry {entry}: symbolic links are not allowed' },
  ARCHIVE_ENTRY_DUPLICATE: { status: 400, message: '{file} entry {entry}: duplicate of entry {other}' },
  ARCHIVE_ENTRY_OVERLAP: {
    status: 400,
    message: '{file} entry {entry}: overlaps entry {other} (a path cannot be both a file and a directory)',
  },
  ARCHIVE_TOO_MANY_ENTRIES: { status: 413, message: '{file}: more than {limit} entries' },
  ARCHIVE_TOO_LARGE: {
    status: 413,
    message: '{file} entry {entry}: the total size passes the limit of {limit} bytes',
  },
  ARCHIVE_RATIO: {
    status: 413,
    message:
      '{file} entry {entry}: expands more than {limit} times its compressed size of {compressed} bytes',
  },
  ARCHIVE_TOTAL_RATIO: {
    status: 413,
    message:
      '{file} entry {entry}: the entries together expand to more than {limit} times the archive size of {size} bytes',
  },
  ARCHIVE_DATA_OVERLAP: {
    status: 400,
    message:
      '{file} entry {entry}: overlaps the data of entry {other} in the zip file (entries may not share data)',
  },
  ARCHIVE_DATA_IN_DIRECTORY: {
    status: 400,
    message: '{file} entry {entry}: its data runs into the zip file’s central directory',
  },
  ARCHIVE_DEST_NOT_EMPTY: { status: 409, message: 'directory {dir} is not empty' },
  ARCHIVE_WRITE_REFUSED: { status: 413, message: '{file} entry {entry}: {reason}' },
  DIRECTORY_SPECIAL_FILE: {
    status: 400,
    message: '{dir}: {path} is a {kind}; only regular files and directories are allowed',
  },
  DIRECTORY_NAME_CLASH: {
    status: 400,
    message: '{dir}: {path} and {other} are the same name after Unicode normalization (NFC)',
  },

  // --- calc packages ---
  ADAPTER_REPEATED: {
    status: 400,
    message: '{file} line {line}: a second <{element}>, only one is allowed (the first is on line {first})',
  },
  ADAPTER_NO_STEPS: { status: 400, message: '{file} line {line}: <Adapter> has no <ExeArgument> step' },
  PACKAGE_UNREADABLE: { status: 400, message: 'calc package {package} cannot be read: {reason}' },
  PACKAGE_NO_ADAPTER: { status: 400, message: 'calc package {package}: no adapter.xml at its root' },
  PACKAGE_BAD_LAYOUT: { status: 400, message: 'calc package {package}: {entry} {reason}' },
  PACKAGE_TEMPLATE_MISSING: {
    status: 400,
    message: '{file} line {line}: <Template> src="{src}": template/{src} is not in the package',
  },
  PACKAGE_HOOKS_MISSING: {
    status: 400,
    message: '{file} line {line}: <ExeArgument> {attribute}="{name}": the package has no hooks.mjs',
  },
  PACKAGE_HOOK_NOT_EXPORTED: {
    status: 400,
    message: '{file} line {line}: <ExeArgument> {attribute}="{name}": hooks.mjs exports no function {name}',
  },
  PACKAGE_HOOKS_UNLOADABLE: {
    status: 400,
    message: 'calc package {package}: hooks.mjs cannot be loaded: {reason}',
  },
  PLACEHOLDER_UNKNOWN: { status: 400, message: 'unknown placeholder {placeholder}' },
  PLACEHOLDER_UNKNOWN_IN: { status: 400, message: '{where}: unknown placeholder {placeholder}' },
  PLACEHOLDER_QUOTING: { status: 400, message: '{where}: {reason}' },

  // --- monitor ---
  // Warnings recorded while reading a job's progress and items; not thrown.
  MONITOR_FILE_SKIPPED: { status: 400, message: '{what} {path} skipped: {reason}' },
  MONITOR_FILE_MISSING: { status: 404, message: '{what} {path}: no such file yet' },
  MONITOR_NO_MATCH: { status: 404, message: '{what} {path}: no line matches {pattern}' },

  // --- hooks ---
  // Step failure reasons for pre/post methods (a hook's own thrown message is kept as is).
  HOOK_UNLOADABLE: { status: 400, message: 'hooks file {file} cannot be loaded: {reason}' },
  HOOK_NOT_EXPORTED: { status: 400, message: 'hooks file {file} exports no function {hook}' },
  HOOK_BAD_RETURN: { status: 400, message: 'hook {hook} returned an invalid value: {reason}' },
  HOOK_NO_WORKPATH: {
    status: 500,
    message: 'hook {hook}: cannot enter the working directory {cwd}: {reason}',
  },

  // --- executor ---
  EXECUTOR_UNAVAILABLE: { status: 500, message: 'the local executor cannot run on this host: {reason}' },
  SLURM_UNAVAILABLE: { status: 500, message: 'the Slurm executor cannot reach the cluster: {reason}' },
  STEP_BAD_RESOURCE: { status: 400, message: 'ExeArgument {step} {attribute} renders to {value}: {reason}' },

  // --- HTTP gateway -------------------------------------------------------------------
  BAD_REQUEST: { status: 400, message: 'bad request: {reason}' },
  API_INVALID: { status: 400, message: '{where} {field}: {reason}' },
  UPLOAD_TOO_LARGE: {
    status: 413,
    message: 'upload {file} is over the limit of {limit} bytes (limits.uploadBytes)',
  },
  PACKAGE_DIRECTORY_REFUSED: {
    status: 403,
    message: 'registering a directory on the hub is off (packages.allowDirectories); upload a zip instead',
  },
  ASSET_NOT_FOUND: { status: 404, message: 'no asset {asset}' },
  ROUTE_NOT_FOUND: { status: 404, message: 'no route {method} {route}' },
  EVENT_STREAMS_FULL: {
    status: 503,
    message: 'the hub serves {streams} event streams already (limits.eventStreams); try again later',
  },
  PROXY_PATH: { status: 404, message: '/proxy path must be <service>-<method>, got {path}' },
  UNAUTHORIZED: { status: 401, message: 'missing or wrong token for {route}' },
  AGENT_UNAUTHORIZED: {
    status: 401,
    message:
      'missing or wrong agent credential for {route} (agent routes take agent.credential, never a user token)',
  },
  AGENT_REFUSED: { status: 403, message: 'an agent may not {what}: {reason}' },
  AGENT_CREDENTIAL_MISUSED: {
    status: 401,
    message: 'the agent credential is not accepted on {route}; callers use the user token (http.token)',
  },
  CROSS_SITE_REFUSED: {
    status: 403,
    message:
      'cross-site browser request to {route} refused (from {origin}); a page elsewhere may call the hub only if its origin is in http.allowedOrigins',
  },
  HOST_REFUSED: {
    status: 421,
    message: 'host {host} is not one this hub serves (add it to http.allowedHosts if it should be)',
  },
  MEDIA_TYPE_REFUSED: { status: 415, message: '{route} takes {accepted}, not {given}{hint}' },
  INSECURE_LISTEN: {
    status: 500,
    message:
      'refusing to listen on {host} without a token (set http.token, or http.allowInsecure to override)',
  },
  FILE_ITEM_NOT_FOUND: { status: 404, message: 'job {jobid} has no {section} file {key}' },
  FILE_ITEM_GONE: {
    status: 404,
    message: 'job {jobid} {section} file {key} ({file}) cannot be served: {reason}',
  },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'range {range} does not fit a file of {size} bytes' },

  // --- internal -------------------------------------------------------------------
  INTERNAL: { status: 500, message: 'internal error: {reason}' },
} as const satisfies Record<string, CatalogEntry>;

export type ErrorCode = keyof typeof errorCatalog;

/** The `{name}` placeholders of a message template, as a union of names. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

/** The params an error code needs: one value per placeholder of its message. */
export type ErrorParams<C extends ErrorCode> = {
  readonly [K in Placeholders<(typeof errorCatalog)[C]['message']>]: string | number | bigint;
};

/** Fills a template's placeholders; a missing param is left visible, never dropped. */
export function formatMessage(code: ErrorCode, params: Readonly<Record<string, unknown>>): string {
  return errorCatalog[code].message.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
