// Jest: CSS imports resolve to an empty module (jsdom applies no styles).
export {};
