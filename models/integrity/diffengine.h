#pragma once

#include "integrity/diffmapping.h"
#include "integrity/diffrecordsource.h"
#include "integrity/diffresult.h"

#include <QCoreApplication>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

/** What to compare. */
struct DiffInput
{
    std::shared_ptr<DiffRecordSource> source; ///< the source snapshot: a backup or an export
    std::shared_ptr<DiffRecordSource> target; ///< the target now: read back, or its export
    /// Compare these fields; when empty the mapping file, else the automatic mapping decides.
    std::optional<DiffMapping> mapping;
    std::optional<DiffMappingFile> mappingFile;
};

/** Where a comparison is (reported at most every 64k records per side). */
struct DiffProgress
{
    enum class Phase { Reading, Comparing, Details, Done };
    Phase phase = Phase::Reading;
    qint64 sourceRecords = 0; ///< read so far in this phase
    qint64 targetRecords = 0;
};

/**
 * The integrity diff (issue 6): source against target, per record and per field.
 *
 * Streaming and hash-based. Each side is read once, keeping 32 bytes per record: XXH3-64 of the
 * normalised email (ValueNormalisation::email), XXH3-64 of the normalised mapped values, the
 * status, and where the record is (DiffRecordSource locator and line). Both arrays are sorted by
 * email hash and merged. Then a detail pass visits only the differing records, to take their
 * email text and, for records whose values differ, one hash per field, which says which fields
 * differ. Field values are never held: DiffResult::detail() reads a row's records again.
 *
 * How the sides are read depends on what they are. A side that can go straight to a record
 * (seekable(): a plain CSV) against one that cannot (a zip) is read first, then the other is
 * matched against it as it is read, so that its details are taken on the way and it is read only
 * once; the detail pass then reads the first side's differing records by seeking. Otherwise both
 * sides are read at once, on a thread each, and the detail pass visits both again. A side that
 * can be cut into pieces of whole records (DiffRecordSource::scanParallel(): an export file) is
 * read by two workers.
 *
 * Emails are matched by hash: two different addresses with the same 64-bit hash would be taken
 * for one (about one chance in 10^7 for a pair of million-record sides).
 */
class DiffEngine
{
    Q_DECLARE_TR_FUNCTIONS(DiffEngine)

public:
    using ProgressHandler = std::function<void(const DiffProgress &)>;

    /**
     * Opens both sides, decides the mapping and compares. Blocks: run it on a worker thread (the
     * target read back waits for its connector there). A cancelled run returns an Error saying so.
     * `progress` is called from the engine's threads.
     */
    static Result<DiffResult> compare(DiffInput input, const std::atomic_bool *cancel = nullptr,
                                      const ProgressHandler &progress = {});

    /**
     * A side from a path: a backup folder (BackupRecordSource), else an export file
     * (ExportRecordSource). The mapping file's email and status rows name the side's columns.
     */
    static std::shared_ptr<DiffRecordSource> sideFor(const QString &path, const DiffMappingFile *mapping,
                                                     bool sourceSide);
};
