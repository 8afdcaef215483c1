import type { Knex } from 'knex';
import { MonolithError } from '../errors';

export type Database = Knex;
export type Transaction = Knex.Transaction;

const CUSTOMERS = 'customers';

export interface CountryRow {
  code: string;
  name: string;
  tax_rate_bp: number;
  shipping_zone: string;
}

export interface CustomerRow {
  id: number;
  email: string;
  name: string;
  country_code: string;
  created_at: string;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class CustomerRepository {
  constructor(private readonly db: Knex) {}

  // Planted seam 4: customer reads the shared countries table itself.
  async listCountries(): Promise<CountryRow[]> {
    return this.db('countries')
      .select('code', 'name', 'tax_rate_bp', 'shipping_zone')
      .orderBy('code');
  }

  async findCountry(code: string): Promise<CountryRow | undefined> {
    return this.db('countries')
      .select('code', 'name', 'tax_rate_bp', 'shipping_zone')
      .where({ code })
      .first();
  }

  async findCustomer(id: number): Promise<CustomerRow | undefined> {
    return this.db(CUSTOMERS)
      .select('id', 'email', 'name', 'country_code', 'created_at')
      .where({ id })
      .first();
  }

  async isEmailTaken(email: string): Promise<boolean> {
    const row = await this.db(CUSTOMERS)
      .select('id')
      .whereRaw('lower(email) = ?', [email.toLowerCase()])
      .first();
    return Boolean(row);
  }

  async findLoyaltyAccount(
    customerId: number,
  ): Promise<{ points: number; tier: string } | undefined> {
    return this.db('loyalty_accounts')
      .select('points', 'tier')
      .where({ customer_id: customerId })
      .first();
  }

  async transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insertCustomer(trx: Knex.Transaction, customer: Omit<CustomerRow, 'id'>): Promise<number> {
    try {
      const [inserted] = await trx(CUSTOMERS).insert(customer).returning('id');
      return Number(typeof inserted === 'object' ? inserted.id : inserted);
    } catch (error) {
      // necessary because two sign-ups with one address can both pass isEmailTaken before either inserts
      if (isUniqueViolation(error))
        throw new MonolithError(
          'EMAIL_TAKEN',
          `email ${customer.email} is already registered`,
          'email',
        );
      throw error;
    }
  }

  async insertLoyaltyAccount(trx: Knex.Transaction, customerId: number): Promise<void> {
    await trx('loyalty_accounts').insert({ customer_id: customerId, points: 0, tier: 'bronze' });
  }

  async insertWelcomeEmail(
    trx: Knex.Transaction,
    customerId: number,
    toAddress: string,
    queuedAt: string,
  ): Promise<void> {
    await trx('welcome_emails').insert({
      customer_id: customerId,
      to_address: toAddress,
      status: 'queued',
      queued_at: queuedAt,
    });
  }

  async insertPostalWelcomePack(
    trx: Knex.Transaction,
    customerId: number,
    countryCode: string,
    queuedAt: string,
  ): Promise<void> {
    await trx('postal_welcome_packs').insert({
      customer_id: customerId,
      country_code: countryCode,
      status: 'queued',
      queued_at: queuedAt,
    });
  }
}
