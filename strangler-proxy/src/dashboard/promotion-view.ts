/**
 * A route's `promotion` field in GET /admin/routes, rendered as a ladder of
 * steps. The dashboard only reads it; the promotion controller owns it.
 *
 * @example { state: 'running', step: 25, steps: ['shadow', 5, 25, 50, 100], reason: 'match rate 99.8% ≥ 99% over 5 min', updatedAt: '2026-11-26T04:40:00Z' }
 */
export interface PromotionView {
  /** running | paused | rolled-back | done (any other word is shown as is). */
  state: string;
  /** The current step: 'shadow' or a percent, one of `steps`. */
  step: 'shadow' | number;
  steps: Array<'shadow' | number>;
  /** Why the last move or rollback happened. */
  reason?: string;
  /** ISO time of the last move. */
  updatedAt?: string;
}
