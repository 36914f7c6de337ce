// Types for the userland 'punycode' package (v2, CommonJS), RFC 3492.
declare module 'punycode/punycode.js' {
  const punycode: {
    decode(input: string): string;
    encode(input: string): string;
    toASCII(domain: string): string;
    toUnicode(domain: string): string;
    version: string;
  };
  export default punycode;
}
