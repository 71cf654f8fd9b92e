#pragma once

// ExportRecordSource's parts, shared by its files.

#include "integrity/exportrecordsource.h"

#include <QByteArray>

namespace ExportRecordSourceDetail {

inline QByteArrayView trimmedView(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t' || v.front() == '\r' || v.front() == '\n'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
        v.chop(1);
    return v;
}

inline bool truthy(QByteArrayView v)
{
    if (v == "No" || v == "no" || v.isEmpty())
        return false; // the common case, without a copy
    const QByteArray l = v.toByteArray().toLower();
    return l == "true" || l == "1" || l == "yes" || l == "y" || l == "x" || l == "oui";
}

} // namespace ExportRecordSourceDetail

struct ExportRecordSource::Part
{
    ExportPart part;
    QString shown; ///< the path as given, or "export.zip › entry.csv"
    ExportLayout layout;
    char delimiter = ',';
    int width = 0;
    std::vector<int> columnOf; ///< field index -> column of this part (-1: none)
    int statusCol = -1, blockCol = -1, suppressionCol = -1;

    ContactStatus status(std::span<const QByteArrayView> f) const
    {
        // The rules of the assessment's InventoryBuilder::rowStatus (esp-apis 1.9, 2.9, 3.9).
        if (layout.fileStatus)
            return *layout.fileStatus;
        if (suppressionCol >= 0 && size_t(suppressionCol) < f.size()) {
            if (const auto s = ContactStatuses::fromSuppressionReason(f[size_t(suppressionCol)]))
                return *s;
        }
        if (blockCol >= 0 && size_t(blockCol) < f.size() && ExportRecordSourceDetail::truthy(ExportRecordSourceDetail::trimmedView(f[size_t(blockCol)])))
            return ContactStatus::Unsubscribed;
        if (statusCol >= 0 && size_t(statusCol) < f.size())
            return ContactStatuses::fromText(ExportRecordSourceDetail::trimmedView(f[size_t(statusCol)])).value_or(ContactStatus::Unknown);
        if (blockCol >= 0)
            return ContactStatus::Subscribed; // Brevo: in the export and not blocklisted
        return ContactStatus::Unknown;
    }

    /// The record of row `f` with the asked-for `columns` (field indexes) put in `values` (one
    /// each; empty where this part has no such column); line and locator are the caller's.
    DiffRecord record(std::span<const QByteArrayView> f, const QList<int> &columns,
                      std::vector<QByteArrayView> &values) const
    {
        for (qsizetype i = 0; i < columns.size(); ++i) {
            const int c = columnOf[size_t(columns[i])];
            values[size_t(i)] = c >= 0 ? f[size_t(c)] : QByteArrayView();
        }
        DiffRecord r;
        r.email = f[size_t(layout.emailColumn)];
        r.status = status(f);
        r.values = std::span<const QByteArrayView>(values);
        return r;
    }
};

