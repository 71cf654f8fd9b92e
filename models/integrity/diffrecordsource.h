#pragma once

#include "connectors/targetplatform.h"
#include "contacts/contactstatus.h"
#include "contacts/fieldtype.h"
#include "core/result.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <span>

/** A field one side of an integrity diff offers. */
struct DiffSourceField
{
    QString name;  ///< how the side names it: the column header, the field key, the attribute
    QString label; ///< what people call it (Mailchimp's field name); the name when none
    std::optional<FieldType> type; ///< when the side says (the platforms' own columns)
    bool tags = false;   ///< the contact's tags
    bool custom = true;  ///< a field the user defined; false for platform metadata
};

/**
 * One record as a side hands it to the engine. The views are valid during the visitor call only:
 * the engine keeps hashes of them, never the record.
 */
struct DiffRecord
{
    QByteArrayView email; ///< as written (UTF-8)
    ContactStatus status = ContactStatus::Unknown;
    std::span<const QByteArrayView> values; ///< the selected fields, in the order asked; empty: absent
    quint64 locator = 0; ///< what readAt() takes to read this record again
    qint64 line = 0;     ///< the line it starts on (1-based), or its position in a listing
};

/** One record read again for the detail pane (readAt()). */
struct DiffRecordCopy
{
    QString email;
    ContactStatus status = ContactStatus::Unknown;
    QStringList values; ///< the selected fields, as written
    QString where;      ///< "file:line"
};

/** When DiffRecordSource::scanParallel() may start visiting. */
struct DiffParallelStart
{
    /// If valid, the workers visit once it is ready; until then the side may read ahead (a zip
    /// entry inflated) up to `aheadBytes`.
    std::shared_future<void> gate;
    qint64 aheadBytes = 0;
};

/**
 * One side of an integrity diff, read one record at a time: an export file, a backup folder, the
 * target read back through its API. Memory is bounded by one record, never by the side.
 *
 * Errors name the place as "file:line" in Error::where (a listing read back names the platform).
 * scan() and readAt() may be called from any one thread at a time.
 */
class DiffRecordSource
{
    Q_DECLARE_TR_FUNCTIONS(DiffRecordSource)

public:
    using Visitor = std::function<bool(const DiffRecord &record)>;

    virtual ~DiffRecordSource() = default;

    /// The file or folder name, or "Brevo (read back)", for messages and the summary.
    virtual QString displayName() const = 0;
    /// Reads what is needed to know the fields (the header row, fields.json).
    virtual Status open() = 0;
    virtual QList<DiffSourceField> fields() const = 0;
    /// The platform whose names the fields carry, for the automatic mapping; nullopt: unknown.
    virtual std::optional<TargetPlatform> platform() const = 0;
    /// A side that takes any field name (the target read back: its fields are whatever the
    /// mapping asks for). addField() then adds one and returns its index.
    virtual bool acceptsAnyField() const { return false; }
    virtual int addField(const QString &name);

    /// Index in fields() of `name`: exact, else ignoring case; -1 when the side has none.
    int fieldIndex(const QString &name) const;
    /// Index in fields() of the side's tag set; -1 when it has none.
    int tagsFieldIndex() const;

    /**
     * Reads every record in order and hands it to `visit` with the fields `columns` (indexes in
     * fields()). Stops early when `visit` returns false or `cancel` is set (then ok()).
     */
    virtual Status scan(const QList<int> &columns, const Visitor &visit,
                        const std::atomic_bool *cancel = nullptr)
        = 0;

    /// A visitor called from several threads at once; `worker` (0 to workers - 1) says which.
    using ParallelVisitor = std::function<bool(int worker, const DiffRecord &record)>;
    using ParallelStart = DiffParallelStart;

    /**
     * scan() on `workers` threads at once, for a side that can cut itself into pieces of whole
     * records (an export file). Every record is visited once, on one of the workers, with the
     * same locator and line scan() gives; the order across workers is not kept. Returns with
     * `done` false when the side cannot do this (the default) or met something only scan() reads
     * (malformed quoting, another text encoding ...): then what was visited is void, and the
     * caller reads the side with scan() instead.
     */
    virtual Status scanParallel(const QList<int> &columns, int workers, const ParallelVisitor &visit, bool &done,
                                const std::atomic_bool *cancel = nullptr, const ParallelStart &start = {});

    /**
     * Reads again the records at `locators` (DiffRecord::locator values from scan(), ascending)
     * and hands each to `visit`, in that order; a locator where no record starts any more is
     * skipped. The default scans the whole side and picks them out; a side that can go straight
     * to a record (seekable()) reads only those.
     */
    virtual Status visitAt(std::span<const quint64> locators, const QList<int> &columns, const Visitor &visit,
                           const std::atomic_bool *cancel = nullptr);
    /// Whether visitAt() reads only the records asked for (a plain file), not the whole side.
    virtual bool seekable() const { return false; }

    /// The record at `locator` (DiffRecord::locator) again, with the fields `columns`.
    virtual Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) = 0;

    /// "file:line" as the command line prints it.
    static QString where(const QString &file, qint64 line);
};
