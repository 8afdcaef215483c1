/** Countries are static reference data: the same rows in every database, seeded with the schema's data. */
export const COUNTRIES = [
  { code: 'GB', name: 'United Kingdom', tax_rate_bp: 2000, shipping_zone: 'uk' },
  { code: 'IE', name: 'Ireland', tax_rate_bp: 2300, shipping_zone: 'eu' },
  { code: 'DE', name: 'Germany', tax_rate_bp: 1900, shipping_zone: 'eu' },
  { code: 'FR', name: 'France', tax_rate_bp: 2000, shipping_zone: 'eu' },
  { code: 'NL', name: 'Netherlands', tax_rate_bp: 2100, shipping_zone: 'eu' },
  { code: 'ES', name: 'Spain', tax_rate_bp: 2100, shipping_zone: 'eu' },
  { code: 'IT', name: 'Italy', tax_rate_bp: 2200, shipping_zone: 'eu' },
  { code: 'SE', name: 'Sweden', tax_rate_bp: 2500, shipping_zone: 'eu' },
  { code: 'US', name: 'United States', tax_rate_bp: 0, shipping_zone: 'north-america' },
  { code: 'CA', name: 'Canada', tax_rate_bp: 500, shipping_zone: 'north-america' },
  { code: 'AU', name: 'Australia', tax_rate_bp: 1000, shipping_zone: 'oceania' },
  { code: 'JP', name: 'Japan', tax_rate_bp: 1000, shipping_zone: 'asia' },
  { code: 'BR', name: 'Brazil', tax_rate_bp: 1700, shipping_zone: 'south-america' },
] as const;

export const GENRES = ['rock', 'jazz', 'classical', 'electronic', 'hip-hop', 'folk', 'pop', 'metal', 'blues', 'soul', 'reggae', 'punk'] as const;

export const ADJECTIVES = ['Velvet', 'Electric', 'Silent', 'Golden', 'Broken', 'Midnight', 'Crimson', 'Lonely', 'Wild', 'Frozen', 'Hollow', 'Neon', 'Paper', 'Iron', 'Blue', 'Distant', 'Burning', 'Quiet', 'Restless', 'Crystal'];
export const NOUNS = ['Harbour', 'Engines', 'Gardens', 'Machines', 'Rivers', 'Lanterns', 'Horizons', 'Echoes', 'Wolves', 'Satellites', 'Orchards', 'Cathedrals', 'Tides', 'Mirrors', 'Highways', 'Sparrows', 'Storms', 'Islands', 'Signals', 'Shadows'];
export const FIRST_NAMES = ['Ada', 'Ben', 'Chloe', 'Dev', 'Ella', 'Finn', 'Grace', 'Hugo', 'Isla', 'Jonas', 'Kira', 'Leo', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Rosa', 'Sami', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Yara', 'Zoe'];
export const LAST_NAMES = ['Adams', 'Brown', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'Garcia', 'Hughes', 'Ito', 'Jansen', 'Kowalski', 'Lopez', 'Murphy', 'Nakamura', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tanaka', 'Weber'];
