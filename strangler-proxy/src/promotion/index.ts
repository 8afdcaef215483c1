// `promote: auto`: the proxy's wiring, the admin API and the state file import from here.
export { createPromotionController, stepOf } from './promotion-controller';
export type {
  PromotionController,
  PromotionOptions,
  SavedPromotion,
} from './promotion-controller';
