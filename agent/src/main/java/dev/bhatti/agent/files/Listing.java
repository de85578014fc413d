package dev.bhatti.agent.files;

import dev.bhatti.proto.FileInfo;
import dev.bhatti.proto.Json;
import dev.bhatti.proto.Wire;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory listing (SPEC §2.5): entries sorted by name, at most {@link #MAX_ENTRIES} of
 * them, then a sentinel entry naming the real total. Only the first names are kept in memory
 * however large the directory. Entries that vanish meanwhile are left out; broken symlinks
 * are described by the link itself. When the JSON of the capped listing would not fit into
 * one frame (very long names) fewer entries are returned, and the sentinel says how many.
 */
final class Listing {
    static final int MAX_ENTRIES = 10_000;
    private static final Logger log = LoggerFactory.getLogger(Listing.class);
    private static final Comparator<Path> BY_NAME = Comparator.comparing(p -> p.getFileName().toString());

    private Listing() {}

    /** The encoded FILE_LS_RESP payload for {@code dir}. */
    static byte[] encoded(Path dir, String shown) throws FileProblem {
        Names names = firstNames(dir, shown);
        List<FileInfo> entries = new ArrayList<>();
        for (Path p : names.kept()) {
            describe(p).ifPresent(entries::add);
        }
        return fitted(entries, names.total());
    }

    private record Names(List<Path> kept, long total) {}

    private static Names firstNames(Path dir, String shown) throws FileProblem {
        PriorityQueue<Path> kept = new PriorityQueue<>(BY_NAME.reversed());
        long total = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                total++;
                kept.add(p);
                if (kept.size() > MAX_ENTRIES) {
                    kept.poll();
                }
            }
        } catch (NotDirectoryException e) {
            throw new FileProblem(shown + " is not a directory", e);
        } catch (IOException e) {
            throw FileProblem.of(shown, e);
        } catch (DirectoryIteratorException e) {
            throw FileProblem.of(shown, e.getCause());
        }
        return new Names(kept.stream().sorted(BY_NAME).toList(), total);
    }

    /** The entry following symlinks; the link itself when broken; empty when it vanished. */
    private static Optional<FileInfo> describe(Path p) {
        String name = p.getFileName().toString();
        try {
            return Optional.of(Stat.of(p).info(name));
        } catch (IOException followed) {
            try {
                return Optional.of(Stat.of(p, LinkOption.NOFOLLOW_LINKS).info(name));
            } catch (NoSuchFileException gone) {
                log.debug("event=ls_entry_vanished path={}", p);
            } catch (IOException e) {
                log.warn("event=ls_entry_unreadable path={} error=\"{}\"", p, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Encodes entries plus a sentinel when capped, shrinking the list until it fits one frame. */
    static byte[] fitted(List<FileInfo> entries, long total) {
        int keep = entries.size();
        while (true) {
            List<FileInfo> shown = new ArrayList<>(entries.subList(0, keep));
            if (total > MAX_ENTRIES || keep < entries.size()) {
                shown.add(sentinel(keep, total));
            }
            byte[] json = Json.encode(shown);
            if (json.length < Wire.MAX_FRAME_LENGTH || keep == 0) {
                return json;
            }
            keep = (int) (keep * (Wire.MAX_FRAME_LENGTH * 0.95 / json.length));
        }
    }

    static FileInfo sentinel(int kept, long total) {
        return new FileInfo("... truncated at " + kept + " entries (" + total + " total)", 0, "0000", false, 0);
    }
}
