#pragma once

#include "contacts/fieldtype.h"

#include <QByteArrayView>
#include <QString>

#include <optional>
#include <string>

/**
 * How the integrity diff compares one mapped field: the normalisation its values get before they
 * are hashed and compared, so that only a difference a person would call one is reported.
 */
enum class CompareType {
    Auto,    ///< a number when it reads as one (without a leading zero), a date when it starts
             ///< like an ISO date, else text
    Text,    ///< trimmed, runs of white space made one space, Unicode NFC; case kept
    Number,  ///< "1.50" == "1.5" == "001.5"; what is not a number compares as text
    Date,    ///< any of the platforms' date and time forms, compared as UTC; midnight UTC == a date
    Phone,   ///< E.164 when readable ("+49 30 123" == "+4930123"), else + and digits only
    Tags,    ///< a set: order, case, surrounding space, quotes and duplicates do not matter
    Boolean, ///< true/yes/y/1 and false/no/n/0, any case
};

namespace CompareTypes {
QString key(CompareType type);                  ///< "auto", "text", "number", ...
std::optional<CompareType> fromKey(QStringView key);
/// The comparison a field of this type gets (Birthday, Url and Address compare as text).
CompareType forFieldType(FieldType type);
} // namespace CompareTypes

/**
 * The normalisation rules of the integrity diff (issue 6). They work on UTF-8 bytes with an ASCII
 * fast path, so that a million records are compared without building a QString per value. Blank
 * and absent are the same: both normalise to the empty string.
 */
namespace ValueNormalisation {

/// The key records are matched by: EmailAddress::normalized() (trimmed, lower-cased, NFC, the
/// domain in its ASCII form).
std::string email(QByteArrayView address);

/// Normalises `value` as `type` into `out` (replacing its content).
void normalise(QByteArrayView value, CompareType type, std::string &out);

/// The same without the fast paths that read common shapes (ISO and platform dates, phone
/// numbers) on bytes: every value through ValueCoercion. For the tests, which check that both
/// give the same.
void normaliseGeneral(QByteArrayView value, CompareType type, std::string &out);

/// The same, returned.
std::string normalised(QByteArrayView value, CompareType type);

/// Trimmed, white space runs (space, tab, CR, LF, no-break space) made one space, Unicode NFC.
void collapseWhitespace(QByteArrayView value, std::string &out);

} // namespace ValueNormalisation
