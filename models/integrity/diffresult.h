#pragma once

#include "contacts/contactstatus.h"
#include "core/result.h"
#include "integrity/diffmapping.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>
#include <memory>
#include <vector>

class DiffRecordSource;

/** What kind of difference a row of an integrity diff is. The order is the order rows are listed. */
enum class DiffKind : quint8 {
    ConsentViolation,  ///< matched, and the target may mail the contact more than the source did
    Missing,           ///< on the source, not on the target
    Extra,             ///< on the target only
    Changed,           ///< matched, a mapped field or the status class differs
    DuplicateInSource, ///< a further record of an email the source already had
    DuplicateInTarget, ///< a further record of an email the target already had
};

namespace DiffKinds {
inline constexpr std::array<DiffKind, 6> kAll = {DiffKind::ConsentViolation, DiffKind::Missing,
                                                 DiffKind::Extra, DiffKind::Changed,
                                                 DiffKind::DuplicateInSource, DiffKind::DuplicateInTarget};
QString key(DiffKind kind); ///< "consent-violation", "missing", "extra", "changed", "duplicate-source", ...
std::optional<DiffKind> fromKey(QStringView key);
QString displayName(DiffKind kind); ///< translated
} // namespace DiffKinds

/**
 * One difference, compact (40 bytes): no text, only where to find the records again. The email is
 * in the result's arena; field values are read on demand (DiffResult::detail()).
 */
struct DiffRow
{
    static constexpr quint64 kNone = ~quint64(0);
    /// fieldMask bit for the status class (bits 0..62 are the mapping's fields).
    static constexpr quint64 kStatusBit = quint64(1) << 63;

    quint64 sourceLocator = kNone; ///< DiffRecordSource::readAt() of the source side
    quint64 targetLocator = kNone;
    quint64 fieldMask = 0;         ///< which compared fields differ (Changed, ConsentViolation)
    quint32 sourceLine = 0;        ///< where the record starts (0: not on that side)
    quint32 targetLine = 0;
    quint32 emailOffset = 0;       ///< in the arena of the side the email was taken from
    quint16 emailLength = 0;
    DiffKind kind = DiffKind::Changed;
    quint8 sourceStatus = quint8(ContactStatus::Unknown);
    quint8 targetStatus = quint8(ContactStatus::Unknown);
    bool emailFromTarget = false;

    bool differs(int field) const { return fieldMask & (quint64(1) << field); }
    bool statusDiffers() const { return fieldMask & kStatusBit; }
};

/** The figures of an integrity diff. */
struct DiffSummary
{
    Q_DECLARE_TR_FUNCTIONS(DiffSummary)

public:
    QString source; ///< the sides' display names
    QString target;
    /// Every record read, duplicates included.
    qint64 sourceRecords = 0;
    qint64 targetRecords = 0;
    qint64 missing = 0;
    qint64 extra = 0;
    /// Matched records where a field or the status class differs (consent violations included).
    qint64 changed = 0;
    qint64 identical = 0;
    qint64 consentViolations = 0;
    /// Records beyond the first of an email on the same side (an email three times counts 2).
    /// They are neither matched nor merged: each is a row of its own. So sourceRecords ==
    /// identical + changed + missing + sourceDuplicates, and likewise for the target.
    qint64 sourceDuplicates = 0;
    qint64 targetDuplicates = 0;
    /// Per compared field (the mapping's order), how many matched records differ in it.
    QList<qint64> changedByField;
    /// Matched records whose status class (ConsentMapping::level) differs.
    qint64 statusChanged = 0;
    std::array<qint64, 8> sourceByStatus{}; ///< indexed by ContactStatus
    std::array<qint64, 8> targetByStatus{};
    QList<DiffFieldPair> fields; ///< what was compared
    QStringList notComparedSource;
    QStringList notComparedTarget;

    /**
     * sourceRecords, targetRecords, missing, extra, changed, identical, consentViolations,
     * sourceDuplicates, targetDuplicates, changedByField {field: count, "status": count},
     * sourceByStatus/targetByStatus {status key: count}, sourceByClass/targetByClass
     * {suppressed, notMarketable, marketable}, fields [{name, source, target, type}],
     * notCompared {source: [...], target: [...]}, source, target.
     */
    QJsonObject toJson() const;
};

/** One field of one difference, for the detail pane. */
struct DiffFieldDetail
{
    QString name;
    QString sourceValue; ///< as written on each side
    QString targetValue;
    bool differs = false; ///< after normalisation
};

/** One difference with both records read again. */
struct DiffDetail
{
    QString email;
    DiffKind kind = DiffKind::Changed;
    std::optional<ContactStatus> sourceStatus; ///< nullopt: not on that side
    std::optional<ContactStatus> targetStatus;
    bool statusDiffers = false;
    QList<DiffFieldDetail> fields; ///< every compared field
    QString sourceWhere;           ///< "file:line"
    QString targetWhere;
};

/**
 * What DiffEngine::compare() found: the summary and the difference rows, compact, in listing
 * order (consent violations first, then missing, extra, changed, duplicates; each in file
 * order). Keeps both sides open to read a row's records again on demand. Move-only; share it as
 * std::shared_ptr<const DiffResult> (DiffModel does).
 */
class DiffResult
{
    Q_DECLARE_TR_FUNCTIONS(DiffResult)

public:
    DiffResult() = default;
    DiffResult(DiffResult &&) = default;
    DiffResult &operator=(DiffResult &&) = default;
    DiffResult(const DiffResult &) = delete;
    DiffResult &operator=(const DiffResult &) = delete;

    DiffSummary summary;

    qsizetype rowCount() const { return qsizetype(m_rows.size()); }
    const DiffRow &row(qsizetype i) const { return m_rows[size_t(i)]; }
    /// The row's email as written (trimmed), UTF-8, without a copy.
    QByteArrayView email(qsizetype i) const;
    /// Rows of that kind (the first of them is at kindBegin(kind)).
    qsizetype count(DiffKind kind) const;
    qsizetype kindBegin(DiffKind kind) const;

    /// Reads the row's records again from both sides (a seek each). Thread-safe.
    Result<DiffDetail> detail(qsizetype row) const;

    /**
     * Writes the differences as CSV (CsvWriter, UTF-8 with BOM): a header
     * email,kind,field,source value,target value and one row per differing field (a status
     * difference as the field "status" with the status keys); one row with an empty field for
     * a missing, extra or duplicated record. Consent violations come first.
     */
    Status writeCsv(const QString &path) const;

    /// Approximate heap bytes held by the rows and the email arenas.
    qint64 memoryBytes() const;

private:
    friend class DiffEngine;
    std::vector<DiffRow> m_rows;
    QByteArray m_sourceEmails;
    QByteArray m_targetEmails;
    std::array<qsizetype, 7> m_kindBegin{};
    std::shared_ptr<DiffRecordSource> m_source;
    std::shared_ptr<DiffRecordSource> m_target;
    QList<int> m_sourceColumns;
    QList<int> m_targetColumns;
};
