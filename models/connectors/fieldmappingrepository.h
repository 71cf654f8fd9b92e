#pragma once

#include "connectors/fieldmapping.h"
#include "connectors/targetplatform.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

/** One row of a project's field mapping, and whether the user chose it. */
struct MappedField
{
    FieldMappingRow row;
    bool edited = false; ///< false: FieldMapping::suggest()'s row, taken as it was

    friend bool operator==(const MappedField &a, const MappedField &b)
    {
        return a.edited == b.edited && a.row.source == b.row.source && a.row.sourceType == b.row.sourceType
            && a.row.kind == b.row.kind && a.row.targets == b.row.targets && a.row.targetType == b.row.targetType
            && a.row.note == b.row.note;
    }
};

/**
 * Reads and writes the field mapping of a project (table field_mapping), per target platform and
 * source field, in the order the rows are shown. Every write is one transaction: a failed write
 * changes nothing.
 */
class FieldMappingRepository
{
    Q_DECLARE_TR_FUNCTIONS(FieldMappingRepository)

public:
    explicit FieldMappingRepository(QSqlDatabase db) : m_db(std::move(db)) {}

    /// The saved rows for `target` in order; empty when none was saved.
    QList<MappedField> load(TargetPlatform target) const;
    /// Saves these rows (replacing rows of the same source) in the order given.
    Status save(TargetPlatform target, const QList<MappedField> &rows);
    /// Forgets the saved mapping for `target` (it falls back to the suggestion).
    Status clear(TargetPlatform target);

    static QString kindKey(FieldMappingRow::Kind kind); ///< "native", "custom", "consent", "tags", "unmapped"
    static std::optional<FieldMappingRow::Kind> kindFromKey(QStringView key);

private:
    Error failed(const QString &why) const;

    QSqlDatabase m_db;
};
