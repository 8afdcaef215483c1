import { get, post, put } from './client';

/** A fresh customer in the given country. */
export async function createCustomer(
  countryCode = 'GB',
): Promise<{ id: number; email: string; countryCode: string }> {
  const stamp = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}`;
  const reply = await post('/customers', {
    email: `buyer.${stamp}@example.com`,
    name: 'Black Box',
    countryCode,
  });
  if (reply.status !== 201)
    throw new Error(`could not create a customer: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A fresh album with its own stock, so tests that move stock never race each other. */
export async function createStockedAlbum(
  quantity: number,
  priceCents = 1299,
  genre = 'jazz',
): Promise<{ id: number; priceCents: number; title: string }> {
  const artists = await get('/catalog/artists?pageSize=1');
  const artistId = artists.body.items[0].id;
  const title = `Black Box ${Date.now().toString(36)} ${Math.random().toString(36).slice(2, 8)}`;
  const album = await post('/catalog/albums', {
    title,
    artistId,
    genre,
    releaseYear: 2024,
    priceCents,
    tracks: [{ title: 'Intro', durationSeconds: 90 }],
  });
  if (album.status !== 201)
    throw new Error(`could not create an album: ${album.status} ${JSON.stringify(album.body)}`);
  const stock = await put(`/warehouse/stock/${album.body.id}`, { quantity, bin: 'T-1-1' });
  if (stock.status !== 200)
    throw new Error(
      `could not stock album ${album.body.id}: ${stock.status} ${JSON.stringify(stock.body)}`,
    );
  return album.body;
}

export async function placeOrder(
  customerId: number,
  lines: Array<{ albumId: number; quantity: number }>,
) {
  return post('/warehouse/orders', { customerId, lines });
}
