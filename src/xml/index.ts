export { parseXml, type XmlElement, type ParseXmlOptions } from './parse-xml.js';
export { checkShape, unknownElement, badAttribute, clip, type ElementShape } from './element-shape.js';
