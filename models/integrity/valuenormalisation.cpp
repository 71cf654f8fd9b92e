#include "integrity/valuenormalisation.h"

#include "contacts/emailaddress.h"
#include "contacts/valuecoercion.h"
#include "integrity/valuenormalisation_p.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace Qt::StringLiterals;

namespace CompareTypes {

namespace {
struct Named
{
    CompareType type;
    const char16_t *key;
};
constexpr Named kNames[] = {
    {CompareType::Auto, u"auto"},     {CompareType::Text, u"text"}, {CompareType::Number, u"number"},
    {CompareType::Date, u"date"},     {CompareType::Phone, u"phone"}, {CompareType::Tags, u"tags"},
    {CompareType::Boolean, u"boolean"},
};
} // namespace

QString key(CompareType type)
{
    for (const Named &n : kNames) {
        if (n.type == type)
            return QString::fromUtf16(n.key);
    }
    return {};
}

std::optional<CompareType> fromKey(QStringView key)
{
    const QString k = key.trimmed().toString().toLower();
    for (const Named &n : kNames) {
        if (k == QStringView(n.key))
            return n.type;
    }
    // The field types' own words, so that a mapping file may say "url" or "birthday".
    if (const auto f = FieldTypes::fromKey(k))
        return forFieldType(*f);
    if (k == u"bool")
        return CompareType::Boolean;
    return std::nullopt;
}

CompareType forFieldType(FieldType type)
{
    switch (type) {
    case FieldType::Number: return CompareType::Number;
    case FieldType::Date: return CompareType::Date;
    case FieldType::Phone: return CompareType::Phone;
    case FieldType::Tags: return CompareType::Tags;
    case FieldType::Text:
    case FieldType::Birthday:
    case FieldType::Url:
    case FieldType::Address: return CompareType::Text;
    }
    return CompareType::Text;
}

} // namespace CompareTypes

namespace ValueNormalisation {

namespace {

using Detail::isDigit;

// False while normaliseGeneral() runs: the general path alone, for the tests.
thread_local bool fastPaths = true;

// White space as spreadsheets and platforms write it; returns its width in bytes (0: none).
inline int spaceWidth(QByteArrayView s, qsizetype i)
{
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return 1;
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0)
        return 2;
    return 0;
}

QString fromUtf8(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

void assign(std::string &out, const QString &s)
{
    const QByteArray u = s.toUtf8();
    out.assign(u.constData(), size_t(u.size()));
}

bool isAscii(const std::string &s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return !(static_cast<unsigned char>(c) & 0x80); });
}

// [+-]digits[.digits] (or .digits) in canonical form: no '+', no leading zeros in the integer
// part, no trailing zeros in the fraction, "-0" as "0". False when `s` is not that plain form.
bool plainNumber(const std::string &s, std::string &out, bool allowLeadingZero)
{
    size_t i = 0;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    const size_t intBegin = i;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    const size_t intEnd = i;
    size_t fracBegin = i, fracEnd = i;
    if (i < s.size() && s[i] == '.') {
        fracBegin = ++i;
        while (i < s.size() && isDigit(s[i]))
            ++i;
        fracEnd = i;
    }
    if (i != s.size() || (intEnd == intBegin && fracEnd == fracBegin))
        return false;
    // "01234" is a code (a postcode, an id) more often than a number: Auto leaves it text.
    if (!allowLeadingZero && intEnd - intBegin > 1 && s[intBegin] == '0')
        return false;
    size_t a = intBegin;
    while (a + 1 < intEnd && s[a] == '0')
        ++a;
    while (fracEnd > fracBegin && s[fracEnd - 1] == '0')
        --fracEnd;
    std::string r;
    if (negative)
        r += '-';
    if (a == intEnd)
        r += '0';
    else
        r.append(s, a, intEnd - a);
    if (fracEnd > fracBegin) {
        r += '.';
        r.append(s, fracBegin, fracEnd - fracBegin);
    }
    if (r == "-0")
        r = "0";
    out = std::move(r);
    return true;
}

void number(std::string &s)
{
    if (s.empty() || plainNumber(s, s, true))
        return;
    const Result<Coerced> c = ValueCoercion::toNumber(fromUtf8(s));
    if (c && !c->value.isEmpty())
        assign(s, c->value);
}

void date(std::string &s)
{
    if (s.empty())
        return;
    if (fastPaths && Detail::fastDate(s))
        return;
    // The common case, an ISO date alone, is already canonical.
    if (s.size() == 10 && s[4] == '-' && s[7] == '-' && isDigit(s[0]) && isDigit(s[5]) && isDigit(s[8]))
        return;
    const QString text = fromUtf8(s);
    CoercionOptions o;
    o.dateOutput = CoercionOptions::DateOutput::DateTimeUtc;
    Result<Coerced> c = ValueCoercion::toDate(text, o);
    if (!c) {
        // Day and month in an order the value cannot tell: equal only if both readings agree.
        o.dateOrder = CoercionOptions::DateOrder::MonthFirst;
        const Result<Coerced> m = ValueCoercion::toDate(text, o);
        o.dateOrder = CoercionOptions::DateOrder::DayFirst;
        const Result<Coerced> d = ValueCoercion::toDate(text, o);
        if (m && d && m->value == d->value)
            c = m;
        else if (m && !d)
            c = m;
        else if (d && !m)
            c = d;
    }
    if (!c || c->value.isEmpty())
        return;
    QString v = c->value;
    // A date and its midnight in UTC are the same day: platforms that keep dates only write it so.
    if (v.endsWith(u"T00:00:00Z"_s))
        v.truncate(10);
    assign(s, v);
}

void phone(std::string &s)
{
    if (s.empty())
        return;
    if (fastPaths && Detail::fastPhone(s))
        return;
    const Result<Coerced> c = ValueCoercion::toPhone(fromUtf8(s));
    if (c && !c->value.isEmpty()) {
        assign(s, c->value);
        return;
    }
    // Without a calling code E.164 cannot be had: compare the digits as written.
    std::string digits;
    for (const char ch : s) {
        if (isDigit(ch) || (ch == '+' && digits.empty()))
            digits += ch;
        else if (!(ch == ' ' || ch == '-' || ch == '.' || ch == '(' || ch == ')' || ch == '/'))
            return; // not only a number: compared as text
    }
    s = std::move(digits);
}

void boolean(std::string &s)
{
    std::string l = s;
    for (char &c : l)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (l == "true" || l == "yes" || l == "y" || l == "1")
        s = "true";
    else if (l == "false" || l == "no" || l == "n" || l == "0")
        s = "false";
}

void tags(QByteArrayView value, std::string &out)
{
    QByteArrayView v = value;
    std::string all;
    collapseWhitespace(v, all);
    // A JSON array (Klaviyo's list-valued property) or Mailchimp's "a","b" list.
    if (all.size() >= 2 && all.front() == '[' && all.back() == ']')
        all = all.substr(1, all.size() - 2);
    std::vector<std::string> items;
    std::string cur;
    bool quoted = false;
    const auto flush = [&] {
        std::string t;
        collapseWhitespace(QByteArrayView(cur.data(), qsizetype(cur.size())), t);
        if (!t.empty()) {
            if (isAscii(t)) {
                for (char &c : t)
                    c = char(std::tolower(static_cast<unsigned char>(c)));
            } else {
                assign(t, fromUtf8(t).toLower());
            }
            items.push_back(std::move(t));
        }
        cur.clear();
    };
    for (const char c : all) {
        if (c == '"')
            quoted = !quoted;
        else if ((c == ',' || c == ';') && !quoted)
            flush();
        else
            cur += c;
    }
    flush();
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    out.clear();
    for (size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += '\x1f'; // a separator no tag holds
        out += items[i];
    }
}

} // namespace

std::string email(QByteArrayView address)
{
    return EmailAddress::normalized(address);
}

void collapseWhitespace(QByteArrayView value, std::string &out)
{
    // Most values are ASCII with single spaces between words only: already as this makes them.
    bool plain = true;
    const auto *v = reinterpret_cast<const unsigned char *>(value.data());
    const qsizetype n = value.size();
    for (qsizetype i = 0; i < n && plain; ++i) {
        // Eight bytes at a time while none is a space, a control or non-ASCII (0x21 to 0x7F).
        while (n - i >= 8) {
            quint64 w;
            std::memcpy(&w, v + i, 8);
            constexpr quint64 kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
            if (((w - kOnes * 0x21) | w) & kHigh)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = v[i];
        if (c > 0x20 && c < 0x80)
            continue;
        plain = c == ' ' && i > 0 && i + 1 < n && v[i + 1] > 0x20 && v[i + 1] < 0x80;
    }
    if (plain) {
        out.assign(value.data(), size_t(n));
        return;
    }
    out.clear();
    out.reserve(size_t(value.size()));
    bool pendingSpace = false;
    bool ascii = true;
    for (qsizetype i = 0; i < value.size();) {
        if (const int w = spaceWidth(value, i)) {
            pendingSpace = !out.empty();
            i += w;
            continue;
        }
        if (pendingSpace) {
            out += ' ';
            pendingSpace = false;
        }
        const char c = value[i++];
        ascii = ascii && !(static_cast<unsigned char>(c) & 0x80);
        out += c;
    }
    if (!ascii) {
        assign(out, fromUtf8(out).normalized(QString::NormalizationForm_C));
    }
}

void normalise(QByteArrayView value, CompareType type, std::string &out)
{
    if (type == CompareType::Tags) {
        tags(value, out);
        return;
    }
    collapseWhitespace(value, out);
    switch (type) {
    case CompareType::Text:
    case CompareType::Tags: break;
    case CompareType::Number: number(out); break;
    case CompareType::Date: date(out); break;
    case CompareType::Phone: phone(out); break;
    case CompareType::Boolean: boolean(out); break;
    case CompareType::Auto:
        if (out.empty())
            break;
        if (plainNumber(out, out, false))
            break;
        if (out.size() >= 10 && out[4] == '-' && out[7] == '-' && isDigit(out[0]) && isDigit(out[5]))
            date(out);
        break;
    }
}

void normaliseGeneral(QByteArrayView value, CompareType type, std::string &out)
{
    fastPaths = false;
    normalise(value, type, out);
    fastPaths = true;
}

std::string normalised(QByteArrayView value, CompareType type)
{
    std::string out;
    normalise(value, type, out);
    return out;
}

} // namespace ValueNormalisation
