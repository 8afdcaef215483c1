import { eventually, expectError, get } from './client';
import { describeSuite } from './suite';
import { createCustomer, createStockedAlbum, placeOrder } from './fixtures';

describeSuite('recommendations', () => {
  it('suggests albums in the genres a customer bought, never ones they own', async () => {
    const customer = await createCustomer();
    const album = await createStockedAlbum(5, 1000, 'blues');
    await placeOrder(customer.id, [{ albumId: album.id, quantity: 1 }]);
    await eventually(async () => {
      const reply = await get(`/recommendations/${customer.id}?limit=10`);
      expect(reply.status).toBe(200);
      expect(reply.body.customerId).toBe(customer.id);
      expect(reply.body.items.length).toBeGreaterThan(0);
      for (const item of reply.body.items) {
        expect(item.genre).toBe('blues');
        expect(item.id).not.toBe(album.id);
        expect(typeof item.reason).toBe('string');
      }
    });
  });

  it('has nothing to suggest to a customer without orders', async () => {
    const customer = await createCustomer();
    const reply = await get(`/recommendations/${customer.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ customerId: customer.id, items: [] });
  });

  it('answers 404 for an unknown customer and 400 for a bad limit', async () => {
    expectError(await get('/recommendations/99999999'), 404, 'NOT_FOUND');
    expectError(await get('/recommendations/1?limit=0'), 400, 'VALIDATION_FAILED', 'limit');
  });
});
