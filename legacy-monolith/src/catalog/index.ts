// The catalog's public face: albums, artists, tracks.
export { CatalogService } from './service';
export type { AlbumDetail, ArtistSummary } from './service';
export { createCatalogRouter } from './routes';
export { pickAlbumSummary, toAlbumSummary } from './album-summary';
export type { AlbumRow, AlbumSummary } from './album-summary';
