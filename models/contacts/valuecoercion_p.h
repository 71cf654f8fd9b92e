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

} // namespace ValueCoercion::Detail
