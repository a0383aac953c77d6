/** Grey's Azure Blob Storage backend. */
package io.grey.store.azure;
