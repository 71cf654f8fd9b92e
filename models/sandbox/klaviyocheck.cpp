// KlaviyoCheck: the address check and the bound on a bulk job profile's size, without regular
// expressions or serialising (they ran for every profile of every job).
#include "sandbox/klaviyosandbox.h"

#include <array>
#include <cstring>

namespace KlaviyoCheck {

bool validEmail(QStringView email)
{
    // The former check was QRegularExpression(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$").match(email);
    // tst_KlaviyoSandbox::emailCheckMatchesExpression compares the two on every UTF-16 unit.
    const qsizetype size = email.size();
    // PCRE2 checks the subject is valid UTF-16 and fails the match on a lone surrogate.
    for (qsizetype i = 0; i < size; ++i) {
        const char16_t c = email[i].unicode();
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 == size || !QChar::isLowSurrogate(email[i + 1].unicode()))
                return false;
            ++i;
        } else if (QChar::isLowSurrogate(c)) {
            return false;
        }
    }
    // "$" matches at the end and before a newline that ends the subject.
    const qsizetype end = size > 0 && email[size - 1] == u'\n' ? size - 1 : size;
    qsizetype at = -1;
    for (qsizetype i = 0; i < end; ++i) {
        const char16_t c = email[i].unicode();
        if (c == u'@') {
            if (at >= 0)
                return false; // [^@] everywhere else: exactly one "@"
            at = i;
        } else if (c == u' ' || (c >= 0x09 && c <= 0x0d)) {
            return false; // \s without Unicode properties: HT, LF, VT, FF, CR, space
        }
    }
    if (at < 1)
        return false; // no "@", or nothing before it
    // The domain: a dot with at least one character (code unit or surrogate pair) on each side.
    for (qsizetype i = at + 2; i < end - 1; ++i) {
        if (email[i] == u'.')
            return true;
    }
    return false;
}

qsizetype longestJobItemText(const QByteArray &body)
{
    constexpr int arrayDepth = 5; // root, data, attributes, profiles, data[ ... ]
    std::array<bool, arrayDepth + 1> isArray{};
    int depth = 0;
    qsizetype itemStart = -1;
    qsizetype longest = 0;
    const char *text = body.constData();
    const qsizetype size = body.size();
    for (qsizetype i = 0; i < size; ++i) {
        switch (text[i]) {
        case '"':
            // Skip the string: brackets in it are text. Its end is the next quote preceded by an
            // even number of backslashes (\\ is an escaped backslash, \" an escaped quote).
            for (;;) {
                const void *quote = std::memchr(text + i + 1, '"', size_t(size - i - 1));
                if (!quote) {
                    i = size;
                    break;
                }
                i = static_cast<const char *>(quote) - text;
                qsizetype backslashes = 0;
                while (text[i - 1 - backslashes] == '\\')
                    ++backslashes;
                if (backslashes % 2 == 0)
                    break;
            }
            break;
        case '{':
        case '[':
            ++depth;
            if (depth <= arrayDepth)
                isArray[depth] = text[i] == '[';
            else if (depth == arrayDepth + 1 && isArray[arrayDepth])
                itemStart = i;
            break;
        case '}':
        case ']':
            if (depth == arrayDepth + 1 && itemStart >= 0) {
                longest = std::max(longest, i - itemStart + 1);
                itemStart = -1;
            }
            --depth;
            break;
        default:
            break;
        }
    }
    return longest;
}

} // namespace KlaviyoCheck
