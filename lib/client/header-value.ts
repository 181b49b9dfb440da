/** What an HTTP header value may hold here (visible ASCII): a URL, token or tenant with anything else cannot be sent. */
export const HEADER_VALUE = /^[\x21-\x7e]+$/;
