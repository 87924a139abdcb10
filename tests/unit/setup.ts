// Dexie needs an IndexedDB in node; fake-indexeddb provides a spec-conformant one in memory.
import 'fake-indexeddb/auto';
