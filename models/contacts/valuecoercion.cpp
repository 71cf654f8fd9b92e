// Numbers, addresses, text, URLs and booleans, and the dispatch by field type. Dates and
// birthdays are in valuecoerciondates.cpp, phone numbers in valuecoercionphone.cpp.

#include "contacts/valuecoercion.h"
#include "contacts/valuecoercion_p.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QStringList>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;
using ValueCoercion::Detail::failure;
using ValueCoercion::Detail::tr;

namespace {

// Mailchimp's address parts, in the order its one-cell form writes them.
const std::array<QString, 6> &addressKeys()
{
    static const std::array<QString, 6> keys
        = {u"addr1"_s, u"addr2"_s, u"city"_s, u"state"_s, u"zip"_s, u"country"_s};
    return keys;
}

// A short form of a long value for a message.
QString preview(const QString &s)
{
    constexpr qsizetype kLength = 40;
    return s.size() <= kLength ? s : s.left(kLength) + u'\x2026';
}

Status checkLength(const QString &s, int maxBytes)
{
    if (maxBytes <= 0)
        return {};
    const qsizetype bytes = s.toUtf8().size();
    if (bytes <= maxBytes)
        return {};
    return failure(tr("text '%1' is %2 bytes long; the target field holds %3.")
                       .arg(preview(s))
                       .arg(bytes)
                       .arg(maxBytes),
                   tr("Shorten it in the source, or map it to a field without this limit; "
                      "it is not cut short silently."));
}

bool isGroupSeparator(QChar c, QChar decimal)
{
    if (c == decimal)
        return false;
    switch (c.unicode()) {
    case u'.':
    case u',':
    case u' ':
    case u'\'':
    case 0x00A0: // no-break space
    case 0x2009: // thin space
    case 0x202F: // narrow no-break space (French, Swiss)
    case 0x2019: // right single quotation mark (Swiss)
        return true;
    default:
        return false;
    }
}

bool allDigits(QStringView s)
{
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; });
}

} // namespace

namespace ValueCoercion {

Result<Coerced> coerce(const QString &value, FieldType type, const CoercionOptions &options)
{
    switch (type) {
    case FieldType::Text:
        return toText(value, options);
    case FieldType::Number:
        return toNumber(value, options);
    case FieldType::Date:
        return toDate(value, options);
    case FieldType::Birthday:
        return toBirthday(value, options);
    case FieldType::Phone:
        return toPhone(value, options);
    case FieldType::Url:
        return toUrl(value, options);
    case FieldType::Address:
        return toAddress(value, options);
    case FieldType::Tags:
        return toText(value, options);
    }
    return toText(value, options);
}

Result<Coerced> toNumber(const QString &value, const CoercionOptions &options)
{
    const QString original = value.trimmed();
    if (original.isEmpty())
        return Coerced{};
    const QString notPlainHint
        = tr("Numbers may have a sign, thousands separators and the declared decimal separator; "
             "units, currency signs, percentages and exponents are not converted.");
    const auto notPlain = [&] {
        return failure(tr("number '%1' is not a plain number.").arg(original), notPlainHint);
    };
    const auto misgrouped = [&] {
        return failure(tr("number '%1' has its separators in the wrong places.").arg(original),
                       tr("It was read with '%1' as the decimal separator; check that this is the "
                          "field's separator.")
                           .arg(options.decimalSeparator));
    };

    const QString converted = Detail::asciiDigits(original);
    QStringView s = converted;
    bool negative = false;
    if (s.front() == u'-' || s.front() == u'\x2212' || s.front() == u'+') {
        negative = s.front() != u'+';
        s = s.sliced(1);
    }
    if (s.count(options.decimalSeparator) > 1)
        return misgrouped();
    const qsizetype point = s.indexOf(options.decimalSeparator);
    const QStringView whole = point < 0 ? s : s.first(point);
    const QStringView fraction = point < 0 ? QStringView() : s.sliced(point + 1);
    if ((point >= 0 && fraction.isEmpty()) || !allDigits(fraction))
        return fraction.contains(u',') || fraction.contains(u'.') ? misgrouped() : notPlain();
    if (whole.isEmpty() && fraction.isEmpty())
        return notPlain();

    // The integer part: digits, grouped by three with one kind of separator.
    QString digits;
    QChar group;
    qsizetype run = 0;
    bool firstGroup = true;
    for (const QChar c : whole) {
        if (c >= u'0' && c <= u'9') {
            digits += c;
            ++run;
            continue;
        }
        if (!isGroupSeparator(c, options.decimalSeparator))
            return notPlain();
        if ((!group.isNull() && c != group) || run == 0 || run > 3 || (!firstGroup && run != 3))
            return misgrouped();
        group = c;
        firstGroup = false;
        run = 0;
    }
    if (!group.isNull() && run != 3)
        return misgrouped();

    while (digits.size() > 1 && digits.front() == u'0')
        digits.remove(0, 1);
    if (digits.isEmpty())
        digits = u"0"_s;
    QString decimals = fraction.toString();
    while (decimals.endsWith(u'0'))
        decimals.chop(1);

    QString significant = digits == u"0" ? decimals : digits + decimals;
    while (significant.startsWith(u'0'))
        significant.remove(0, 1);
    while (digits != u"0" && decimals.isEmpty() && significant.endsWith(u'0'))
        significant.chop(1);
    if (significant.size() > kMaxSignificantDigits)
        return failure(tr("number '%1' has %2 significant digits; the target keeps %3.")
                           .arg(original)
                           .arg(significant.size())
                           .arg(kMaxSignificantDigits),
                       tr("Long codes and identifiers belong in a text field."));

    QString out = digits;
    if (!decimals.isEmpty())
        out += u'.' + decimals;
    if (negative && out != u"0")
        out.prepend(u'-');
    return Coerced{out, {}};
}

Result<Coerced> toAddress(const QString &value, const CoercionOptions &options)
{
    if (value.trimmed().isEmpty())
        return Coerced{};
    if (value.trimmed().startsWith(u'{')) {
        const QJsonDocument doc = QJsonDocument::fromJson(value.trimmed().toUtf8());
        if (!doc.isObject())
            return failure(
                tr("address '%1' is neither an address object nor Mailchimp's address text.")
                    .arg(preview(value.trimmed())));
        return toAddress(doc.object(), options);
    }

    // Parts are separated by two spaces; 2n spaces are n separators around n-1 empty parts. The
    // ends are not trimmed first, so an empty last part still counts.
    QStringList fields{QString()};
    for (qsizetype i = 0; i < value.size();) {
        if (value.at(i) == u' ' && i + 1 < value.size() && value.at(i + 1) == u' ') {
            qsizetype end = i;
            while (end < value.size() && value.at(end) == u' ')
                ++end;
            for (qsizetype n = (end - i) / 2; n > 0; --n)
                fields << QString();
            i = end;
        } else {
            fields.back() += value.at(i++);
        }
    }
    for (QString &f : fields)
        f = f.trimmed();

    const QString original = value.trimmed();
    const QString formHint
        = tr("Mailchimp writes an address as street, second line, city, state, zip "
             "and country separated by two spaces. To keep this value whole, map the "
             "field to a text attribute.");
    if (fields.size() == 5)
        fields.insert(1, QString()); // Mailchimp's import form leaves out an empty second line
    if (fields.size() != 6)
        return failure(
            fields.size() == 1
                ? tr("address '%1' is not in Mailchimp's address form.").arg(preview(original))
                : tr("address '%1' has %2 parts, not 5 or 6.")
                      .arg(preview(original))
                      .arg(fields.size()),
            formHint);
    QJsonObject object;
    for (int i = 0; i < 6; ++i)
        object.insert(addressKeys()[i], fields[i]);
    return toAddress(object, options);
}

Result<Coerced> toAddress(const QJsonObject &object, const CoercionOptions &options)
{
    Coerced result;
    QStringList line;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(addressKeys().cbegin(), addressKeys().cend(), it.key())
            == addressKeys().cend())
            return failure(
                tr("address has a part '%1' that Mailchimp's address field does not have.")
                    .arg(it.key()));
        if (!it.value().isString() && !it.value().isNull())
            return failure(tr("address part '%1' is not text.").arg(it.key()));
    }
    for (const QString &key : addressKeys()) {
        const Result<Coerced> part = toText(object.value(key).toString(), options);
        if (!part)
            return part.error();
        if (part->isEmpty())
            continue;
        result.parts.insert(key, part->value);
        line << part->value;
    }
    result.value = line.join(u", "_s);
    return result;
}

Result<Coerced> toText(const QString &value, const CoercionOptions &options)
{
    QString s = value;
    s.replace(u"\r\n"_s, u"\n"_s).replace(u'\r', u'\n');
    s = s.trimmed();
    if (s.isEmpty())
        return Coerced{};
    if (const Status length = checkLength(s, options.maxTextBytes); !length)
        return length.error();
    return Coerced{s, {}};
}

Result<Coerced> toUrl(const QString &value, const CoercionOptions &options)
{
    Result<Coerced> text = toText(value, options);
    if (text && std::any_of(text->value.cbegin(), text->value.cend(), [](QChar c) {
            return c.isSpace();
        }))
        return failure(tr("URL '%1' contains white space.").arg(preview(text->value)),
                       tr("A web address has no spaces; correct it in the source."));
    return text;
}

Result<Coerced> toBoolean(const QString &value)
{
    const QString s = value.trimmed().toLower();
    if (s.isEmpty())
        return Coerced{};
    if (s == u"true" || s == u"yes" || s == u"1")
        return Coerced{u"true"_s, {}};
    if (s == u"false" || s == u"no" || s == u"0")
        return Coerced{u"false"_s, {}};
    return failure(tr("'%1' is not yes or no.").arg(value.trimmed()),
                   tr("Yes/no values are read as true/false, yes/no or 1/0."));
}

} // namespace ValueCoercion
