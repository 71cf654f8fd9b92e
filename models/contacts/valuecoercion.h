#pragma once

#include "contacts/fieldtype.h"
#include "core/result.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QTimeZone>

#include <optional>

/**
 * One source value made ready for a target field. `value` is what is written; `parts` holds the
 * pieces some kinds split into (an address's addr1 ... country, a birthday's month and day, a
 * phone's calling code and extension). Both empty: the source had no value (an empty or blank
 * cell), which is not an error: the caller writes nothing for that field.
 */
struct Coerced
{
    QString value;
    QMap<QString, QString> parts;

    bool isEmpty() const { return value.isEmpty() && parts.isEmpty(); }
};

/**
 * What the source field declares and the target field expects. Nothing in here is guessed from
 * the values: a caller that does not know the source's date order leaves it undeclared, and
 * ambiguous dates then fail instead of being read one way or the other.
 */
struct CoercionOptions
{
    /// How a source writes dates that do not start with the year (Mailchimp's date_format).
    enum class DateOrder { Undeclared, MonthFirst, DayFirst };
    /// What the target stores for a date: a calendar date, or an instant in UTC.
    enum class DateOutput { Date, DateTimeUtc };
    /// What to write for a birthday without a year (Mailchimp's birthday field).
    enum class BirthdayPolicy {
        IsoWithoutYear,  ///< "--MM-DD", for a text target (the default, see toBirthday())
        MonthDayText,    ///< "MM-DD", for a text target
        PlaceholderYear, ///< "1904-MM-DD", for a target that only has full dates (Brevo)
        Reject,          ///< an error: the target needs a real year
    };
    /// E.164 has no extensions: either the value fails, or the extension goes to
    /// parts["extension"].
    enum class PhoneExtension { Reject, Separate };

    DateOrder dateOrder = DateOrder::Undeclared;
    DateOutput dateOutput = DateOutput::Date;
    /// The zone of a date and time written without one. Mailchimp's exports write UTC without
    /// saying so (esp-apis 1.9); an invalid zone makes such values an error for DateTimeUtc.
    QTimeZone naiveTimeZone = QTimeZone::utc();
    BirthdayPolicy birthdayPolicy = BirthdayPolicy::IsoWithoutYear;
    /// '.' or ','; the other one, spaces and apostrophes may group thousands.
    QChar decimalSeparator = u'.';
    /// The country calling code for numbers written without one, digits only ("49", "1"); empty:
    /// such numbers are an error.
    QString defaultCallingCode;
    PhoneExtension phoneExtension = PhoneExtension::Reject;
    /// Longest text the target field holds, in UTF-8 bytes; 0 for no known limit.
    int maxTextBytes = 0;
};

/**
 * Converts field values from Mailchimp, Brevo and Klaviyo exports and API responses into what a
 * target platform expects, or says why it cannot. Pure functions: no I/O, no state. Errors carry a
 * translated message naming the value and a hint; `where` is empty, the caller adds the record
 * and field.
 */
namespace ValueCoercion {

/// Mailchimp text fields hold at most 255 bytes (esp-apis 1.10).
constexpr int kMailchimpTextBytes = 255;
/// The placeholder year for birthdays without one: a leap year, so 29 February survives.
constexpr int kPlaceholderYear = 1904;
/// Numbers with more significant digits than this would be rounded by a target that stores
/// floating-point numbers (Brevo's float attributes, JSON numbers at Klaviyo).
constexpr int kMaxSignificantDigits = 15;

/// The order Mailchimp's merge-field option date_format declares ("MM/DD/YYYY", "DD/MM",
/// case-insensitive); nullopt for anything else.
std::optional<CoercionOptions::DateOrder> dateOrderFromFormat(QStringView dateFormat);

/// Coerces a value of the given type; Tags are kept whole as text.
Result<Coerced> coerce(const QString &value, FieldType type, const CoercionOptions &options = {});

/**
 * A date or date and time, as YYYY-MM-DD (DateOutput::Date: the date as written, any time
 * dropped) or YYYY-MM-DDTHH:MM:SS[.mmm]Z (DateTimeUtc; a date alone becomes midnight UTC).
 * Reads YYYY-MM-DD (also with / or .), MM/DD/YYYY or DD/MM/YYYY by the declared order (also
 * with - or .), each with an optional time [T| ]H:MM[:SS[.f]] [AM|PM] and zone Z, UTC, GMT,
 * +HH, +HHMM, +HH:MM. Two-digit years, dates that do not exist and ambiguous orders fail.
 */
Result<Coerced> toDate(const QString &value, const CoercionOptions &options = {});

/**
 * A birthday: MM/DD or DD/MM by the declared order (also with - or .), or --MM-DD (unambiguous).
 * Without a year it is written by options.birthdayPolicy; with a year (a full date) it is written
 * as YYYY-MM-DD whatever the policy, since the year is real data. parts: month, day (and year).
 */
Result<Coerced> toBirthday(const QString &value, const CoercionOptions &options = {});

/**
 * A plain number, canonical: optional '-', no leading or trailing zeros, '.' as decimal point
 * ("1.234,50" with ',' declared → "1234.5"). Thousands separators must group by three. Units,
 * currency signs, percentages, exponents and other digit groupings fail.
 */
Result<Coerced> toNumber(const QString &value, const CoercionOptions &options = {});

/**
 * A phone number in E.164 ("+4930123456"). See valuecoercionphone.cpp for the rules and what
 * they cannot know. parts: callingCode, and extension when separated.
 */
Result<Coerced> toPhone(const QString &value, const CoercionOptions &options = {});

/**
 * A postal address split into parts addr1, addr2, city, state, zip, country. Reads Mailchimp's
 * one-cell form (parts separated by two spaces, addr2 may be left out) or its API object as JSON
 * text. value: the non-empty parts joined by ", ".
 */
Result<Coerced> toAddress(const QString &value, const CoercionOptions &options = {});
/// The same from Mailchimp's API object {addr1, addr2, city, state, zip, country}.
Result<Coerced> toAddress(const QJsonObject &object, const CoercionOptions &options = {});

/// Text: surrounding white space removed, line endings made "\n", within options.maxTextBytes.
Result<Coerced> toText(const QString &value, const CoercionOptions &options = {});
/// A URL: text without white space inside. Nothing is added (no scheme) and nothing is fetched.
Result<Coerced> toUrl(const QString &value, const CoercionOptions &options = {});
/// true/false, yes/no, 1/0 (any case) → "true" or "false".
Result<Coerced> toBoolean(const QString &value);

} // namespace ValueCoercion
