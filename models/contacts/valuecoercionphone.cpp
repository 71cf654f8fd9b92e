// Phone numbers to E.164 (see valuecoercion.h).
//
// The rules, and what they cannot know without a numbering-plan database:
// - Spaces, dots, dashes, slashes and brackets are formatting. Letters (vanity numbers such as
//   1-800-FLOWERS) and any other character are an error.
// - "+" or "00" starts an international number; with the default calling code 1, so does the
//   North American "011". Other international access codes (Australia's 0011, Japan's 010 ...)
//   are not known and read as national numbers.
// - "(0)" after the country code is the national trunk prefix written for readers at home and is
//   dropped, except for Italy, San Marino, the Vatican and Côte d'Ivoire, where the 0 is part of
//   the number. A bare 0 right after any other country code is an error rather than dropped:
//   "+44 07700 ..." is a mistake, and which one is not for this code to decide.
// - A national number gets the default calling code, after removing the trunk prefix: one "0"
//   (not for the countries above), "1" for North America, "8" for Russia and Kazakhstan, "06"
//   for Hungary. Other trunk prefixes are not known.
// - The country code is read from ITU-T's assignment of code lengths (1, 7 and the two-digit
//   codes; everything else has three digits); unassigned ranges (0, 28x, 83x, 89x) fail.
// - E.164 allows 15 digits at most; fewer than 8 is taken as incomplete (a number without its
//   area code), which also rejects the few countries with shorter numbers. North American numbers
//   must have 10 digits after the 1 and an area code that does not start with 0 or 1. Nothing else
//   checks whether a number is assigned, or whether a national number lacks its area code.

#include "contacts/valuecoercion.h"
#include "contacts/valuecoercion_p.h"

#include <QRegularExpression>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using ValueCoercion::Detail::failure;
using ValueCoercion::Detail::tr;

namespace {

// ITU-T E.164 country codes with two digits; 1 and 7 have one, all others three.
constexpr std::array kTwoDigitCodes
    = {20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
       55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98};
// Two-digit prefixes no country code starts with.
constexpr std::array kSparePrefixes = {28, 83, 89};

// The length of the country code at the start of digits; 0 when none is assigned there.
int callingCodeLength(QStringView digits)
{
    if (digits.size() < 2 || digits.front() == u'0')
        return 0;
    if (digits.front() == u'1' || digits.front() == u'7')
        return 1;
    const int two = digits.first(2).toInt();
    if (std::find(kSparePrefixes.cbegin(), kSparePrefixes.cend(), two) != kSparePrefixes.cend())
        return 0;
    if (std::find(kTwoDigitCodes.cbegin(), kTwoDigitCodes.cend(), two) != kTwoDigitCodes.cend())
        return 2;
    return 3;
}

// Countries where a leading 0 belongs to the number, not to a trunk prefix.
bool keepsLeadingZero(QStringView code)
{
    return code == u"39" || code == u"378" || code == u"379" || code == u"225";
}

QString trunkPrefix(QStringView code)
{
    if (keepsLeadingZero(code))
        return {};
    if (code == u"1")
        return u"1"_s;
    if (code == u"7")
        return u"8"_s;
    if (code == u"36")
        return u"06"_s;
    return u"0"_s;
}

bool isFormatting(QChar c)
{
    return c.isSpace() || c == u'-' || c == u'.' || c == u'/' || c == u'(' || c == u')'
           || (c.unicode() >= 0x2010 && c.unicode() <= 0x2015); // hyphen and dash variants
}

} // namespace

namespace ValueCoercion {

Result<Coerced> toPhone(const QString &value, const CoercionOptions &options)
{
    const QString original = value.trimmed();
    if (original.isEmpty())
        return Coerced{};
    QString s = Detail::asciiDigits(original);
    if (s.startsWith(u'\xFF0B')) // full-width plus
        s[0] = u'+';

    Coerced result;
    static const QRegularExpression extension(
        u"^(.*[0-9)])\\s*,?\\s*(?:;\\s*ext\\s*=|ext(?:ension)?\\.?|x|#)\\s*([0-9]{1,7})$"_s,
        QRegularExpression::CaseInsensitiveOption);
    if (const auto m = extension.match(s); m.hasMatch()) {
        if (options.phoneExtension == CoercionOptions::PhoneExtension::Reject)
            return failure(
                tr("phone '%1' has an extension, which E.164 numbers cannot hold.").arg(original),
                tr("Keep extensions in a separate field, or remove them in the source."));
        result.parts.insert(u"extension"_s, m.captured(2));
        s = m.captured(1);
    }

    // Digits only, noting the international prefix and where a "(0)" stands.
    const bool plus = s.startsWith(u'+');
    QString digits;
    qsizetype open = -1;        // index in digits where the open bracket began, or -1
    qsizetype bracketZero = -1; // index in digits of a lone 0 in brackets
    for (qsizetype i = plus ? 1 : 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c >= u'0' && c <= u'9') {
            digits += c;
        } else if (c.isLetter()) {
            return failure(tr("phone '%1' contains letters.").arg(original),
                           tr("Phone numbers are converted from digits only; write vanity numbers "
                              "as digits."));
        } else if (!isFormatting(c)) {
            return failure(tr("phone '%1' contains '%2', which is not part of a phone number.")
                               .arg(original, c));
        } else if (c == u'(') {
            if (open >= 0)
                return failure(tr("phone '%1' has unbalanced brackets.").arg(original));
            open = digits.size();
        } else if (c == u')') {
            if (open < 0)
                return failure(tr("phone '%1' has unbalanced brackets.").arg(original));
            if (digits.size() == open + 1 && digits.back() == u'0')
                bracketZero = open;
            open = -1;
        }
    }
    if (open >= 0)
        return failure(tr("phone '%1' has unbalanced brackets.").arg(original));
    if (digits.isEmpty())
        return failure(tr("phone '%1' has no digits.").arg(original));

    const QString &home = options.defaultCallingCode;
    QString full;          // country code and national number
    qsizetype prefix = -1; // length of the international access code, -1 for a national number
    if (plus)
        prefix = 0;
    else if (digits.startsWith(u"00"))
        prefix = 2;
    else if (home == u"1" && digits.startsWith(u"011"))
        prefix = 3;
    if (prefix >= 0) {
        full = digits.mid(prefix);
    } else {
        if (home.isEmpty())
            return failure(
                tr("phone '%1' has no country calling code.").arg(original),
                tr("Set the default country calling code for numbers written without one "
                   "(for example 49 for Germany), or write them with + and the code."));
        const QString trunk = trunkPrefix(home);
        QString national = digits;
        if (!trunk.isEmpty() && national.startsWith(trunk)
            && (home != u"1" || national.size() == 11))
            national.remove(0, trunk.size());
        full = home + national;
    }

    const int codeLength = callingCodeLength(full);
    if (codeLength == 0)
        return failure(tr("phone '%1' does not start with a country calling code.").arg(original));
    const QString code = full.left(codeLength);
    // "+49 (0)30 ...": the trunk prefix, written for readers at home. For Italy and the others
    // that keep their 0 it is part of the number.
    if (prefix >= 0 && bracketZero - prefix == codeLength && !keepsLeadingZero(code))
        full.remove(codeLength, 1);
    const QString national = full.mid(codeLength);
    if (code == u"1" && (national.size() != 10 || national.front() < u'2'))
        return failure(
            tr("phone '%1' is not a North American number (+1 and ten digits).").arg(original));
    if (national.startsWith(u'0') && !keepsLeadingZero(code))
        return failure(tr("phone '%1' has a 0 after the country code %2.").arg(original, code),
                       tr("Leave out the national 0 after +%1, or write it as (0).").arg(code));
    if (full.size() > 15)
        return failure(tr("phone '%1' has %2 digits; E.164 numbers have at most 15.")
                           .arg(original)
                           .arg(full.size()));
    if (full.size() < 8)
        return failure(
            tr("phone '%1' has only %2 digits with its country code; it looks incomplete.")
                .arg(original)
                .arg(full.size()),
            tr("Add the area code, or the country code if it is missing."));

    result.value = u'+' + full;
    result.parts.insert(u"callingCode"_s, code);
    return result;
}

} // namespace ValueCoercion
