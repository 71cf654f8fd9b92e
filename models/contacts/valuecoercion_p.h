#pragma once

// Helpers shared by the valuecoercion*.cpp files; not part of the API.

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

namespace ValueCoercion::Detail {

inline QString tr(const char *text)
{
    return QCoreApplication::translate("ValueCoercion", text);
}

inline Error failure(const QString &message, const QString &hint = {})
{
    return Error{message, QString(), hint};
}

/// Every decimal digit (Unicode category Nd: Arabic-Indic, Devanagari, full-width ...) as its
/// ASCII digit, so that the rules below only deal with 0-9.
inline QString asciiDigits(QStringView s)
{
    QString out;
    out.reserve(s.size());
    for (const QChar c : s)
        out += c.isDigit() ? QChar(u'0' + c.digitValue()) : c;
    return out;
}

/**
 * The start of `s` as a date written year first, exactly where
 * QRegularExpression("^([0-9]{4})([-/.])([0-9]{1,2})\\2([0-9]{1,2})(?![0-9])") matches: four
 * digits, a separator ('-', '/' or '.'), one or two digits, the same separator, one or two digits
 * not followed by another. Fills the numbers and the length read; false when it does not match.
 * Written out because the expression cost a microsecond a value.
 */
bool yearFirstDate(QStringView s, int *year, int *month, int *day, qsizetype *end);

/// QDate(year, month, day).toString(Qt::ISODate), written by IsoDate::write where it can be.
QString isoDate(int year, int month, int day);

} // namespace ValueCoercion::Detail
