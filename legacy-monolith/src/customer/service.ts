import { MonolithError, notFound, validationFailed } from '../errors';
import { currentLogger } from '../http/request-context';
import {
  type CountryRow,
  CustomerRepository,
  type CustomerRow,
  type Database,
  type Transaction,
} from './repository';

export interface Customer {
  id: number;
  email: string;
  name: string;
  countryCode: string;
  createdAt: string;
}

export interface Country {
  code: string;
  name: string;
  taxRateBp: number;
  shippingZone: string;
}

function toCustomer(row: CustomerRow): Customer {
  return {
    id: Number(row.id),
    email: row.email,
    name: row.name,
    countryCode: row.country_code,
    createdAt: row.created_at,
  };
}

function toCountry(row: CountryRow): Country {
  return {
    code: row.code,
    name: row.name,
    taxRateBp: Number(row.tax_rate_bp),
    shippingZone: row.shipping_zone,
  };
}

export class CustomerService {
  private readonly repository: CustomerRepository;

  constructor(db: Database) {
    this.repository = new CustomerRepository(db);
  }

  async listCountries(): Promise<Country[]> {
    return (await this.repository.listCountries()).map(toCountry);
  }

  /** Registers a customer; e-mail addresses are stored lower-case so uniqueness ignores case. */
  async createCustomer(input: {
    email: string;
    name: string;
    countryCode: string;
  }): Promise<Customer> {
    const email = input.email.toLowerCase();
    const countryCode = input.countryCode.toUpperCase();
    if (!(await this.repository.findCountry(countryCode))) {
      throw validationFailed(
        'countryCode',
        `countryCode: country ${countryCode} is not known (GET /countries lists them)`,
      );
    }
    if (await this.repository.isEmailTaken(email)) {
      throw new MonolithError('EMAIL_TAKEN', `email ${email} is already registered`, 'email');
    }
    const createdAt = new Date().toISOString();
    const id = await this.repository.transaction(async (trx) => {
      const customerId = await this.repository.insertCustomer(trx, {
        email,
        name: input.name,
        country_code: countryCode,
        created_at: createdAt,
      });
      // Planted seam 5: orchestration. Sign-up waits for loyalty, e-mail and postal steps, one after the other.
      await this.openLoyaltyAccount(trx, customerId);
      await this.queueWelcomeEmail(trx, customerId, email, createdAt);
      await this.queuePostalWelcomePack(trx, customerId, countryCode, createdAt);
      return customerId;
    });
    currentLogger().info({ customerId: id, countryCode }, 'customer signed up');
    return { id, email, name: input.name, countryCode, createdAt };
  }

  async getCustomer(id: number): Promise<Customer> {
    const row = await this.repository.findCustomer(id);
    if (!row) throw notFound('customer', id);
    return toCustomer(row);
  }

  async getLoyalty(
    customerId: number,
  ): Promise<{ customerId: number; points: number; tier: string }> {
    await this.getCustomer(customerId);
    const account = await this.repository.findLoyaltyAccount(customerId);
    // Customers imported before the loyalty scheme have no account yet: they start at zero.
    return { customerId, points: Number(account?.points ?? 0), tier: account?.tier ?? 'bronze' };
  }

  private async openLoyaltyAccount(trx: Transaction, customerId: number): Promise<void> {
    await this.repository.insertLoyaltyAccount(trx, customerId);
  }

  private async queueWelcomeEmail(
    trx: Transaction,
    customerId: number,
    email: string,
    queuedAt: string,
  ): Promise<void> {
    await this.repository.insertWelcomeEmail(trx, customerId, email, queuedAt);
  }

  private async queuePostalWelcomePack(
    trx: Transaction,
    customerId: number,
    countryCode: string,
    queuedAt: string,
  ): Promise<void> {
    await this.repository.insertPostalWelcomePack(trx, customerId, countryCode, queuedAt);
  }
}
