// Recommendation's public face: "you may also like" and per-customer picks.
export { RecommendationService } from './service';
export type { Recommendation } from './service';
export { createRecommendationRouter } from './routes';
