/** CONSORT 2010 flow diagram: counting (with the people behind each box) and SVG layout. Pure. */
export * from './consort-model.js';
export * from './consort-layout.js';
