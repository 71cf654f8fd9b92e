#include "assessment/fieldtypeinference.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace {

inline bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..maxDigits digits at s[i]; returns the value or -1.
int readNumber(QByteArrayView s, qsizetype &i, int minDigits, int maxDigits)
{
    int value = 0;
    int n = 0;
    while (i < s.size() && n < maxDigits && isDigit(s[i])) {
        value = value * 10 + (s[i] - '0');
        ++i;
        ++n;
    }
    return n >= minDigits ? value : -1;
}

// Optional time after a date: [ T]HH:MM[:SS[.fff]][Z| UTC|+HH[:MM]|-HH[:MM]]
bool isTimeSuffix(QByteArrayView s, qsizetype i)
{
    if (i == s.size())
        return true;
    if (s[i] != ' ' && s[i] != 'T')
        return false;
    ++i;
    const int h = readNumber(s, i, 1, 2);
    if (h < 0 || h > 23 || i >= s.size() || s[i] != ':')
        return false;
    ++i;
    const int m = readNumber(s, i, 2, 2);
    if (m < 0 || m > 59)
        return false;
    if (i < s.size() && s[i] == ':') {
        ++i;
        const int sec = readNumber(s, i, 2, 2);
        if (sec < 0 || sec > 60)
            return false;
        if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
            ++i;
            if (readNumber(s, i, 1, 9) < 0)
                return false;
        }
    }
    const QByteArrayView rest = s.sliced(i);
    if (rest.isEmpty())
        return true;
    for (const char *suffix : {"Z", " UTC", " GMT", " AM", " PM", " am", " pm"}) {
        if (rest == QByteArrayView(suffix))
            return true;
    }
    if (rest[0] != '+' && rest[0] != '-')
        return false;
    ++i;
    if (readNumber(s, i, 2, 2) < 0)
        return false;
    if (i < s.size() && s[i] == ':')
        ++i;
    if (i < s.size() && readNumber(s, i, 2, 2) < 0)
        return false;
    return i == s.size();
}

bool validMonthDay(int month, int day)
{
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

} // namespace

FieldTypeInference::FieldTypeInference(const QString &columnName)
{
    const QString n = columnName.toLower();
    const QStringList words = n.split(QRegularExpression(QStringLiteral("[^\\p{L}\\p{N}]+")), Qt::SkipEmptyParts);
    m_nameSaysPhone = n.contains(u"phone") || n.contains(u"mobile") || n.contains(u"whatsapp");
    for (const QString &w : words) {
        m_nameSaysPhone = m_nameSaysPhone || w == u"tel" || w == u"sms" || w == u"cell" || w == u"fax"
            || w == u"telefon" || w == u"telefono" || w == u"portable";
    }
    // "IP address", "ip_address", "IPv4 address" are not postal; "Shipping address" is.
    const bool ipWord = std::any_of(words.cbegin(), words.cend(),
                                    [](const QString &w) { return w.startsWith(u"ip"); });
    m_nameSaysAddress = (n.contains(u"address") || n.contains(u"adresse") || n.contains(u"street"))
        && !n.contains(u"email") && !n.contains(u"e-mail") && !ipWord;
    m_nameSaysBirthday = n.contains(u"birth") || n.contains(u"bday") || n.contains(u"anniversaire");
}

bool FieldTypeInference::isNumber(QByteArrayView v)
{
    qsizetype i = 0;
    if (i < v.size() && (v[i] == '-' || v[i] == '+'))
        ++i;
    const qsizetype firstDigit = i;
    int digits = 0;
    bool dot = false;
    for (; i < v.size(); ++i) {
        if (isDigit(v[i])) {
            ++digits;
        } else if (v[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    if (digits == 0)
        return false;
    // "02134" is a code (a zip code, an id), not a number: a number would lose the zero.
    if (v.size() - firstDigit > 1 && v[firstDigit] == '0' && v[firstDigit + 1] != '.')
        return false;
    return true;
}

bool FieldTypeInference::isDate(QByteArrayView v)
{
    if (v.size() < 8)
        return false;
    qsizetype i = 0;
    const int a = readNumber(v, i, 1, 4);
    if (a < 0 || i >= v.size())
        return false;
    const char sep = v[i];
    if (sep != '-' && sep != '/' && sep != '.')
        return false;
    const qsizetype aDigits = i;
    ++i;
    const int b = readNumber(v, i, 1, 2);
    if (b < 0 || i >= v.size() || v[i] != sep)
        return false;
    ++i;
    const qsizetype cStart = i;
    const int c = readNumber(v, i, 1, 4);
    if (c < 0)
        return false;
    const qsizetype cDigits = i - cStart;
    if (aDigits == 4) { // YYYY-MM-DD
        if (cDigits > 2 || !validMonthDay(b, c))
            return false;
    } else if (cDigits == 4) { // MM/DD/YYYY or DD/MM/YYYY (or DD.MM.YYYY)
        if (!validMonthDay(a, b) && !validMonthDay(b, a))
            return false;
    } else {
        return false;
    }
    return isTimeSuffix(v, i);
}

bool FieldTypeInference::isBirthday(QByteArrayView v)
{
    // MM/DD (Mailchimp), DD/MM, MM-DD, or --MM-DD (ISO 8601 without year).
    qsizetype i = 0;
    if (v.startsWith("--"))
        i = 2;
    const int a = readNumber(v, i, 1, 2);
    if (a < 0 || i >= v.size() || (v[i] != '/' && v[i] != '-'))
        return false;
    ++i;
    const int b = readNumber(v, i, 1, 2);
    if (b < 0 || i != v.size())
        return false;
    return validMonthDay(a, b) || validMonthDay(b, a);
}

bool FieldTypeInference::isPhone(QByteArrayView v, bool *formatted)
{
    int digits = 0;
    int dots = 0;
    int groups = 0;        // digit runs between dots, for telling an IPv4 address
    int longestGroup = 0;
    int group = 0;
    bool fmt = false;
    for (qsizetype i = 0; i < v.size(); ++i) {
        const char c = v[i];
        if (isDigit(c)) {
            ++digits;
            if (group++ == 0)
                ++groups;
            longestGroup = std::max(longestGroup, group);
            continue;
        }
        group = 0;
        if (c == '+' && i == 0) {
            fmt = true;
        } else if (c == '-' && i == 0) {
            return false; // a negative number
        } else if (c == '.') {
            ++dots;
        } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '/') {
            fmt = true;
        } else {
            return false;
        }
    }
    // One dot is a decimal point (48.8566140), not phone formatting; 192.168.100.200 is an address.
    if (!fmt && dots == 3 && groups == 4 && longestGroup <= 3)
        return false;
    fmt = fmt || dots >= 2;
    if (formatted)
        *formatted = fmt;
    return digits >= 7 && digits <= 15;
}

bool FieldTypeInference::isUrl(QByteArrayView v)
{
    const auto startsWithCi = [&](QByteArrayView prefix) {
        if (v.size() <= prefix.size())
            return false;
        for (qsizetype i = 0; i < prefix.size(); ++i) {
            char c = v[i];
            if (c >= 'A' && c <= 'Z')
                c = char(c + 32);
            if (c != prefix[i])
                return false;
        }
        return true;
    };
    if (!(startsWithCi("http://") || startsWithCi("https://") || startsWithCi("www.")))
        return false;
    return !v.contains(' ');
}

bool FieldTypeInference::isAddress(QByteArrayView v)
{
    // Mailchimp writes an address field as its parts separated by two spaces:
    // "addr1  addr2  city  state  zip  country".
    int separators = 0;
    for (qsizetype i = 0; i + 1 < v.size(); ++i) {
        if (v[i] == ' ' && v[i + 1] == ' ') {
            ++separators;
            while (i + 1 < v.size() && v[i + 1] == ' ')
                ++i;
        }
    }
    return separators >= 2;
}

void FieldTypeInference::add(QByteArrayView value)
{
    m_any = true;
    if (!m_mask)
        return;
    if ((m_mask & Number) && !isNumber(value))
        m_mask &= ~Number;
    if ((m_mask & Date) && !isDate(value))
        m_mask &= ~Date;
    if ((m_mask & Birthday) && !isBirthday(value))
        m_mask &= ~Birthday;
    if (m_mask & Phone) {
        bool formatted = false;
        if (isPhone(value, &formatted))
            m_phoneFormatted = m_phoneFormatted || formatted;
        else
            m_mask &= ~Phone;
    }
    if ((m_mask & Url) && !isUrl(value))
        m_mask &= ~Url;
    if ((m_mask & Address) && !isAddress(value))
        m_mask &= ~Address;
}

FieldType FieldTypeInference::result() const
{
    if (!m_any)
        return m_nameSaysAddress ? FieldType::Address : FieldType::Text;
    if (m_mask & Birthday)
        return FieldType::Birthday;
    if (m_mask & Date)
        return m_nameSaysBirthday ? FieldType::Birthday : FieldType::Date;
    if ((m_mask & Phone) && (m_nameSaysPhone || m_phoneFormatted || !(m_mask & Number)))
        return FieldType::Phone;
    if (m_mask & Number)
        return FieldType::Number;
    if (m_mask & Url)
        return FieldType::Url;
    if ((m_mask & Address) || m_nameSaysAddress)
        return FieldType::Address;
    return FieldType::Text;
}
