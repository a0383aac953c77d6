package io.grey.store.local;

import io.grey.core.InvalidKeyException;
import io.grey.core.ObjectKey;
import io.grey.core.store.ListPage;
import io.grey.core.store.ListRequest;
import io.grey.core.store.ObjectInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, walked depth-first over the key directories in key order.
 *
 * <p>Directory order is not key order, and neither is plain segment order: {@code a/b.c} sorts before
 * {@code a/b/c} because '.' is below '/'. So each directory contributes two entries per child segment
 * {@code s}: the object {@code s} and the subtree {@code s/}, sorted together in code point order. Subtrees
 * that lie wholly before {@code startAfter} or outside the prefix are never read, and the walk stops after
 * {@code limit + 1} objects, so a page costs its own size plus the directories on its path.
 */
final class Listing {
  private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::sortKey, ObjectKey.LEXICOGRAPHIC);

  private final LocalStore store;
  private final ListRequest request;
  private final List<ObjectInfo> found = new ArrayList<>();
  private int directoriesRead;
  private int trailersRead;

  Listing(LocalStore store, ListRequest request) {
    this.store = store;
    this.request = request;
  }

  private record Entry(String segment, boolean subtree, String sortKey) {}

  ListPage page() throws IOException {
    String prefix = request.prefix();
    // Every key under the prefix lies below the directory of the prefix's complete segments.
    int slash = prefix.lastIndexOf('/');
    String base = slash < 0 ? "" : prefix.substring(0, slash + 1);
    Path dir = store.root();
    if (!base.isEmpty()) {
      for (String segment : base.substring(0, base.length() - 1).split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.contains("\\")
            || segment.getBytes(StandardCharsets.UTF_8).length > 255) {
          // No key has such a segment, so nothing can be listed under it.
          return new ListPage(List.of(), "");
        }
        dir = dir.resolve(segment);
      }
    }
    walk(dir, base);
    if (found.size() > request.limit()) {
      List<ObjectInfo> page = found.subList(0, request.limit());
      return new ListPage(page, page.getLast().key().value());
    }
    return new ListPage(found, "");
  }

  /** Walks {@code dir}, whose keys all start with {@code dirPrefix}; true once the page is full. */
  private boolean walk(Path dir, String dirPrefix) throws IOException {
    String prefix = request.prefix();
    String after = request.startAfter();
    for (Entry entry : entries(dir)) {
      String full = dirPrefix + entry.sortKey();
      if (entry.subtree()) {
        if (!(full.startsWith(prefix) || prefix.startsWith(full))) {
          continue;
        }
        if (!after.startsWith(full) && ObjectKey.LEXICOGRAPHIC.compare(full, after) < 0) {
          continue;
        }
        Path child = dir.resolve(entry.segment());
        if (hasSubdirectories(child) && walk(child, full)) {
          return true;
        }
      } else {
        if (!full.startsWith(prefix) || ObjectKey.LEXICOGRAPHIC.compare(full, after) <= 0) {
          continue;
        }
        Optional<ObjectInfo> info = object(full, dir.resolve(entry.segment()).resolve(LocalStore.DATA_FILE));
        if (info.isPresent()) {
          found.add(info.get());
          if (found.size() > request.limit()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Directories read so far, for tests that check a page costs its size and not the store's. */
  int directoriesRead() {
    return directoriesRead;
  }

  /** Data-file trailers read so far. */
  int trailersRead() {
    return trailersRead;
  }

  /**
   * Whether {@code dir} may hold child keys. A key directory holds the key's own files and the directories of
   * its child keys; where the file system counts links, a directory with exactly two has no subdirectory, so
   * the common leaf needs one stat instead of a directory read.
   */
  private static boolean hasSubdirectories(Path dir) throws IOException {
    try {
      Object links = Files.getAttribute(dir, "unix:nlink");
      return !(links instanceof Integer n && n == 2);
    } catch (NoSuchFileException e) {
      return false;
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return true;
    }
  }

  private Optional<ObjectInfo> object(String key, Path file) throws IOException {
    ObjectKey objectKey;
    try {
      objectKey = ObjectKey.of(key);
    } catch (InvalidKeyException e) {
      // A directory made behind the store's back with a name no key can have.
      return Optional.empty();
    }
    trailersRead++;
    return store.readTrailer(objectKey, file).map(ObjectFile.Trailer::info);
  }

  private List<Entry> entries(Path dir) throws IOException {
    directoriesRead++;
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String segment = child.getFileName().toString();
        // The store's own files carry a backslash, which no key segment can contain.
        if (segment.indexOf('\\') >= 0) {
          continue;
        }
        entries.add(new Entry(segment, false, segment));
        entries.add(new Entry(segment, true, segment + "/"));
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    entries.sort(ORDER);
    return entries;
  }
}
