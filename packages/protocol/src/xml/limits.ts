/**
 * What one document may ask of the parser. Every step of the parser is linear in the body, so
 * these caps are not what keeps it fast: they bound the memory and the work a hostile body can
 * cost before it is refused (fault 20012), far above what any SOAP stack writes. A body is at
 * most `--max-body` bytes (10 MB by default), which bounds everything else.
 */
export interface XmlLimits {
  /** Elements open at once, the root counting as 1. */
  readonly maxDepth: number;
  /** Attributes on one element, namespace declarations included. */
  readonly maxAttributes: number;
  /** Namespace declarations (`xmlns`, `xmlns:p`) on one element. */
  readonly maxDeclarations: number;
  /** Characters in a qualified name (element or attribute, prefix included). */
  readonly maxNameLength: number;
  /**
   * The fewest characters per element on average: the first n characters of a document may hold
   * max(minElements, n / charsPerElement) elements.
   */
  readonly charsPerElement: number;
  readonly minElements: number;
}

export const XML_LIMITS: XmlLimits = {
  // The deepest request in the contract is 8 levels (Envelope > Body > paramsSyncMultipleLeads >
  // leadRecordList > leadRecord > leadAttributeList > attribute > attrValue); a WS-Security header
  // adds about as many, and responses a few more. 64 is several times the deepest, and it bounds
  // the stacks the parser keeps and the scope chain that resolveQName walks after the parse.
  maxDepth: 64,
  // SOAP bodies carry their data in elements: an element holds at most xsi:type or xsi:nil plus the
  // namespace declarations its stack writes (SOAP::Lite and Axis put 5–10 on the Envelope).
  maxAttributes: 256,
  // The most any stack declares on one element is about 10 (SOAP::Lite's Envelope); Axis and
  // SOAP::Lite repeat declarations on many elements, which this per-element cap leaves alone.
  maxDeclarations: 64,
  // Schema names are under 40 characters and generated prefixes under 10. The cap also keeps names
  // that are echoed into fault messages short.
  maxNameLength: 256,
  // An element costs the tree about 50 bytes, a few times what its tags take in the body, most of
  // all for bodies of bare `<a/>`. Real elements carry a name, content and an end tag: 30 characters
  // or more on average (`<attrValue>x</attrValue>`), never under 8, so a document denser in
  // elements than that is refused (as soon as its start is), which halves the memory the densest
  // body can cost. The floor keeps small documents and the envelope's start out of it.
  charsPerElement: 8,
  minElements: 1024,
};

/** No caps: for tests that exercise the parser's algorithms on shapes far above the caps. */
export const NO_XML_LIMITS: XmlLimits = {
  maxDepth: Number.POSITIVE_INFINITY,
  maxAttributes: Number.POSITIVE_INFINITY,
  maxDeclarations: Number.POSITIVE_INFINITY,
  maxNameLength: Number.POSITIVE_INFINITY,
  charsPerElement: 1,
  minElements: Number.POSITIVE_INFINITY,
};
