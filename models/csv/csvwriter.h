#pragma once

#include <QString>
#include <QStringList>

/**
 * Writing CSV that spreadsheets open safely (RFC 4180, CRLF): the one place that decides quoting
 * and formula defusing for every export (checklist, backup parts, error reports).
 */
namespace CsvWriter {

/**
 * One cell: a value that starts like a formula (= + - @) gets a leading apostrophe, so that the
 * spreadsheet opening the file shows it as text instead of running it (CSV injection). Quoted when
 * RFC 4180 demands it, and also around `;` and tabs (other spreadsheets' delimiters) and leading or
 * trailing blanks (which unquoted readers, CsvReader included, trim).
 */
QString field(const QString &value);

/// The cells as one record, comma-separated, ending in CRLF, appended to `out`.
void appendRecord(QString &out, const QStringList &cells);

/// The UTF-8 byte order mark, so that Excel reads the file as UTF-8.
inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

} // namespace CsvWriter
