/**
 * ONNX conformance: the ONNX backend node tests for Conv and ConvTranspose as convcheck cases,
 * checked on the reference and on oracles (`convcheck conformance DIR`).
 */
export { extractConformanceCases, findTestDirs, ConformanceDirError, CONFORMANCE_OPS, type ConformanceCase, type ConformanceExtraction, type ConformanceOp, type SkippedTest } from './extract.js';
export { attributeValue, decodeModelProto, decodeTensorProto, PbError, readTensorPb, tensorFromProto, type PbTensor } from './pb.js';
export { compareToExpected, conformanceCommand, conformanceText, runConformance, type Cell, type CellStatus, type ConformanceArgs, type ConformanceReport, type ConformanceResult } from './run.js';
export { DEBIAN_TESTDATA_DIRS, findOnnxNodeTests, ONNX_TESTDATA_ENV, type TestDataLookup } from './testdata.js';
