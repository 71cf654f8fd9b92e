#include "contacts/emailaddress.h"

#include "csv/textencoding.h"

#include <QCoreApplication>
#include <QUrl>

namespace {

inline bool isAsciiAlnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 5322 atext, plus any non-ASCII byte (RFC 6531 allows UTF-8 in the local part).
inline bool isAtext(unsigned char c)
{
    if (isAsciiAlnum(c) || c >= 0x80)
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '/': case '=': case '?': case '^': case '_': case '`': case '{': case '|': case '}':
    case '~':
        return true;
    default:
        return false;
    }
}

enum class Problem { None, Empty, NoAt, ManyAt, LocalEmpty, LocalTooLong, LocalChars, LocalDots,
                     DomainEmpty, DomainTooLong, DomainChars, DomainLabel, DomainNoDot, TopLevel,
                     TooLong };

Problem check(QByteArrayView a)
{
    if (a.isEmpty())
        return Problem::Empty;
    if (a.size() > 254)
        return Problem::TooLong;
    // Non-ASCII must be well-formed UTF-8, and a no-break space is never part of an address.
    if (const qsizetype at = a.lastIndexOf('@'); at >= 0 && !TextCodec::isAscii(a)) {
        const auto bad = [](QByteArrayView part) {
            return !TextCodec::isValidUtf8(part) || part.contains("\xC2\xA0");
        };
        if (bad(a.first(at)))
            return Problem::LocalChars;
        if (bad(a.sliced(at + 1)))
            return Problem::DomainChars;
    }
    const qsizetype at = a.lastIndexOf('@');
    if (at < 0)
        return Problem::NoAt;
    const QByteArrayView local = a.first(at);
    const QByteArrayView domain = a.sliced(at + 1);

    // Local part: dot-atom, or a quoted string (which may itself contain '@').
    if (local.isEmpty())
        return Problem::LocalEmpty;
    if (local.size() > 64)
        return Problem::LocalTooLong;
    if (local.size() >= 2 && local.front() == '"' && local.back() == '"') {
        for (qsizetype i = 1; i + 1 < local.size(); ++i) {
            const auto c = static_cast<unsigned char>(local[i]);
            if (c == '\\') {
                // A quoted pair; it must not take the closing quote ("a\"@x.com never closes).
                if (i + 2 >= local.size())
                    return Problem::LocalChars;
                ++i;
                continue;
            }
            if (c == '"' || c < 0x20 || c == 0x7F)
                return Problem::LocalChars;
        }
    } else {
        if (local.front() == '.' || local.back() == '.')
            return Problem::LocalDots;
        for (qsizetype i = 0; i < local.size(); ++i) {
            const auto c = static_cast<unsigned char>(local[i]);
            if (c == '.') {
                if (local[i + 1] == '.')
                    return Problem::LocalDots;
            } else if (c == '@') {
                return Problem::ManyAt;
            } else if (!isAtext(c)) {
                return Problem::LocalChars;
            }
        }
    }

    // Domain: LDH labels (or UTF-8 labels of an internationalised domain).
    if (domain.isEmpty())
        return Problem::DomainEmpty;
    if (domain.size() > 253)
        return Problem::DomainTooLong;
    int labels = 0;
    qsizetype start = 0;
    bool lastAllDigits = false;
    for (qsizetype i = 0; i <= domain.size(); ++i) {
        if (i < domain.size() && domain[i] != '.') {
            const auto c = static_cast<unsigned char>(domain[i]);
            if (!(isAsciiAlnum(c) || c == '-' || c >= 0x80))
                return Problem::DomainChars;
            continue;
        }
        const QByteArrayView label = domain.sliced(start, i - start);
        if (label.isEmpty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return Problem::DomainLabel;
        lastAllDigits = true;
        for (const char c : label)
            lastAllDigits = lastAllDigits && c >= '0' && c <= '9';
        ++labels;
        start = i + 1;
    }
    if (labels < 2)
        return Problem::DomainNoDot;
    if (lastAllDigits)
        return Problem::TopLevel;
    return Problem::None;
}

inline bool isTrimSpace(QByteArrayView s, qsizetype i, qsizetype *width)
{
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        *width = 1;
        return true;
    }
    // U+00A0 NO-BREAK SPACE in UTF-8, common in pasted spreadsheets.
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        *width = 2;
        return true;
    }
    return false;
}

} // namespace

namespace EmailAddress {

QByteArrayView trimmed(QByteArrayView a)
{
    qsizetype w = 0;
    while (!a.isEmpty() && isTrimSpace(a, 0, &w))
        a = a.sliced(w);
    for (;;) {
        if (a.isEmpty())
            break;
        if (isTrimSpace(a, a.size() - 1, &w)) {
            a.chop(1);
        } else if (a.size() >= 2 && static_cast<unsigned char>(a[a.size() - 2]) == 0xC2
                   && static_cast<unsigned char>(a[a.size() - 1]) == 0xA0) {
            a.chop(2);
        } else {
            break;
        }
    }
    return a;
}

std::string normalized(QByteArrayView address)
{
    const QByteArrayView t = trimmed(address);
    std::string out(t.data(), size_t(t.size()));
    bool ascii = true;
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = char(c + ('a' - 'A'));
        else if (static_cast<unsigned char>(c) & 0x80)
            ascii = false;
    }
    if (ascii)
        return out;
    // Unicode: lower-cased, composed (NFC: "e" + combining acute == "\u00e9"), and the domain in
    // its ASCII (IDNA) form, so that "b\u00fccher.de" and "xn--bcher-kva.de" are one address.
    QString s = QString::fromUtf8(t).toLower().normalized(QString::NormalizationForm_C);
    const qsizetype at = s.lastIndexOf(u'@');
    if (at >= 0) {
        const QString domain = s.sliced(at + 1);
        bool domainAscii = true;
        for (const QChar c : domain)
            domainAscii = domainAscii && c.unicode() < 0x80;
        if (!domainAscii) {
            const QByteArray ace = QUrl::toAce(domain);
            if (!ace.isEmpty())
                s = s.first(at + 1) + QString::fromLatin1(ace).toLower();
        }
    }
    return s.toStdString();
}

bool isValid(QByteArrayView address)
{
    return check(trimmed(address)) == Problem::None;
}

QString problem(QByteArrayView address)
{
    const auto tr = [](const char *s) { return QCoreApplication::translate("EmailAddress", s); };
    switch (check(trimmed(address))) {
    case Problem::None: return {};
    case Problem::Empty: return tr("no address");
    case Problem::NoAt: return tr("no @ sign");
    case Problem::ManyAt: return tr("more than one @ sign");
    case Problem::LocalEmpty: return tr("nothing before the @ sign");
    case Problem::LocalTooLong: return tr("the part before the @ sign is longer than 64 characters");
    case Problem::LocalChars: return tr("a character that is not allowed before the @ sign");
    case Problem::LocalDots: return tr("a dot at the start or end, or two dots in a row, before the @ sign");
    case Problem::DomainEmpty: return tr("no domain after the @ sign");
    case Problem::DomainTooLong: return tr("the domain is longer than 253 characters");
    case Problem::DomainChars: return tr("a character that is not allowed in the domain");
    case Problem::DomainLabel: return tr("an empty, over-long or hyphen-edged part in the domain");
    case Problem::DomainNoDot: return tr("the domain has no dot");
    case Problem::TopLevel: return tr("the domain ends in a number");
    case Problem::TooLong: return tr("the address is longer than 254 characters");
    }
    return {};
}

} // namespace EmailAddress
