/**
 * countries-service's data: MusicCorp's countries as code, typed in from the finance team's VAT
 * spreadsheet (tax rates in percent, as the spreadsheet has them).
 */
export interface CountryData {
  code: string;
  name: string;
  vatPercent: number;
  shippingZone: string;
}

export const COUNTRIES: readonly CountryData[] = [
  { code: 'AU', name: 'Australia', vatPercent: 10, shippingZone: 'oceania' },
  { code: 'BR', name: 'Brazil', vatPercent: 17, shippingZone: 'south-america' },
  { code: 'CA', name: 'Canada', vatPercent: 5, shippingZone: 'north-america' },
  { code: 'DE', name: 'Germany', vatPercent: 19, shippingZone: 'eu' },
  { code: 'ES', name: 'Spain', vatPercent: 21, shippingZone: 'eu' },
  { code: 'FR', name: 'France', vatPercent: 20, shippingZone: 'eu' },
  { code: 'GB', name: 'United Kingdom', vatPercent: 20, shippingZone: 'uk' },
  { code: 'IE', name: 'Ireland', vatPercent: 21, shippingZone: 'eu' },
  { code: 'IT', name: 'Italy', vatPercent: 22, shippingZone: 'eu' },
  { code: 'JP', name: 'Japan', vatPercent: 10, shippingZone: 'asia' },
  { code: 'NL', name: 'Netherlands', vatPercent: 21, shippingZone: 'eu' },
  { code: 'SE', name: 'Sweden', vatPercent: 25, shippingZone: 'eu' },
  { code: 'US', name: 'United States', vatPercent: 0, shippingZone: 'north-america' },
];
