/** MMRM public surface: high-level `fitMmrm` plus the lower-level REML engine and inference. */
export {
  COVARIANCE_STRUCTURES,
  DEFAULT_FALLBACK_CHAIN,
  covarianceStructure,
  type CovarianceStructure,
  type CovarianceStructureName,
} from './covariance-structures.js';
export {
  fitMmrm,
  type MmrmAttempt,
  type MmrmContrast,
  type MmrmLsmean,
  type MmrmOptions,
  type MmrmResult,
} from './fit-mmrm.js';
export { fitReml, thetaCovariance, type RemlDiagnostics, type RemlFit, type RemlFitOptions } from './fit-reml.js';
export {
  DF_METHODS,
  estimateContrast,
  prepareInference,
  satterthwaiteDf,
  testContrasts,
  type ContrastEstimate,
  type DfMethod,
  type FTest,
  type InferenceOptions,
  type InformationKind,
  type MmrmInference,
} from './inference.js';
export {
  buildMmrmDesign,
  type LsmeansWeights,
  type MmrmDesign,
  type MmrmInput,
  type MmrmObservation,
} from './mmrm-design.js';
export { RemlEvaluator, type RemlState, type RepeatedMeasuresDesign, type SubjectData } from './reml-evaluator.js';
