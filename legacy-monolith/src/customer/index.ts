// Customer's public face: sign-up (with loyalty, welcome e-mail and postal pack), profiles, countries.
export { CustomerService } from './service';
export type { Customer, Country } from './service';
export { createCustomerRouter } from './routes';
