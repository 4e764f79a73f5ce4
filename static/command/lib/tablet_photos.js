// Photos of on-view reports waiting in the tablet's queue, kept in IndexedDB by the entry's key: a
// photo is a few MB, too much for localStorage (where the queue's entries are), and IndexedDB keeps a
// Blob as it is across a reload. The entry is sent with its photo, then the photo is dropped.

const DATABASE = "tablet-photos";
const STORE = "photos";

function database() {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(DATABASE, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(opening.error);
  });
}

async function inStore(mode, act) {
  const db = await database();
  try {
    return await new Promise((resolve, reject) => {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

export function keepPhoto(key, file) {
  return inStore("readwrite", (store) => store.put({ blob: file, name: file.name || "photo", type: file.type }, key));
}

// {blob, name, type}, or undefined when it is gone.
export function keptPhoto(key) {
  return inStore("readonly", (store) => store.get(key));
}

export function dropPhoto(key) {
  return inStore("readwrite", (store) => store.delete(key));
}

// JPEG, PNG or WebP by the file's first bytes, as the server checks it; null for anything else.
export async function photoKind(file) {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const starts = (...bytes) => bytes.every((byte, i) => head[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  const text = String.fromCharCode(...head);
  if (text.startsWith("RIFF") && text.slice(8, 12) === "WEBP") return "image/webp";
  return null;
}

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
