// The fast paths of the diff's normalisation (see valuenormalisation_p.h).

#include "integrity/valuenormalisation_p.h"

#include <QtGlobal>

#include <algorithm>
#include <iterator>
#include <string_view>

namespace ValueNormalisation::Detail {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (the 400-year era arithmetic).
qint64 daysFromCivil(int y, int m, int d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = unsigned((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + qint64(doe) - 719468;
}

void civilFromDays(qint64 z, int &y, int &m, int &d)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = int(doy - (153 * mp + 2) / 5 + 1);
    m = int(mp < 10 ? mp + 3 : mp - 9);
    y = int(qint64(yoe) + era * 400 + (m <= 2 ? 1 : 0));
}

int daysInMonth(int y, int m)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return kDays[m - 1];
}

// Reads 1 to `most` digits at s[i]; false when there is none.
bool readDigits(const std::string &s, size_t &i, size_t most, int &value, size_t *count = nullptr)
{
    const size_t begin = i;
    value = 0;
    while (i < s.size() && i - begin < most && isDigit(s[i]))
        value = value * 10 + (s[i++] - '0');
    if (count)
        *count = i - begin;
    return i > begin;
}

inline void put2(std::string &out, int v)
{
    out += char('0' + v / 10);
    out += char('0' + v % 10);
}

// The ITU-T code lengths as valuecoercionphone.cpp has them.
int callingCodeLength(std::string_view digits)
{
    if (digits.size() < 2 || digits[0] == '0')
        return 0;
    if (digits[0] == '1' || digits[0] == '7')
        return 1;
    static constexpr int kTwoDigitCodes[]
        = {20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54,
           55, 56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98};
    const int two = (digits[0] - '0') * 10 + (digits[1] - '0');
    if (two == 28 || two == 83 || two == 89)
        return 0;
    return std::find(std::begin(kTwoDigitCodes), std::end(kTwoDigitCodes), two) != std::end(kTwoDigitCodes) ? 2
                                                                                                             : 3;
}

bool keepsLeadingZero(std::string_view code)
{
    return code == "39" || code == "378" || code == "379" || code == "225";
}

} // namespace

// See valuenormalisation_p.h. Mirrors readMoment() and readTime() in valuecoerciondates.cpp.
bool fastDate(std::string &s)
{
    // The commonest shape, "YYYY-MM-DD HH:MM:SS" (Mailchimp) or with a T: only T and Z to add.
    if (s.size() == 19 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T') && s[13] == ':'
        && s[16] == ':') {
        static constexpr int kDigits[] = {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18};
        if (std::all_of(std::begin(kDigits), std::end(kDigits), [&](int k) { return isDigit(s[size_t(k)]); })) {
            const auto two = [&](size_t k) { return (s[k] - '0') * 10 + (s[k + 1] - '0'); };
            const int year = two(0) * 100 + two(2), month = two(5), day = two(8);
            const int hour = two(11), minute = two(14), second = two(17);
            if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
                && hour <= 23 && minute <= 59 && second <= 59) {
                if (hour == 0 && minute == 0 && second == 0) {
                    s.resize(10); // midnight UTC is the date
                } else {
                    s[10] = 'T';
                    s += 'Z';
                }
                return true;
            }
        }
    }
    size_t i = 0;
    int year = 0, month = 0, day = 0;
    size_t n = 0;
    if (!readDigits(s, i, 4, year, &n) || n != 4 || year < 1000 || i >= s.size())
        return false;
    const char sep = s[i++];
    if (sep != '-' && sep != '/' && sep != '.')
        return false;
    if (!readDigits(s, i, 2, month) || i >= s.size() || s[i++] != sep)
        return false;
    if (!readDigits(s, i, 2, day) || (i < s.size() && isDigit(s[i])))
        return false;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return false;
    int hour = 0, minute = 0, second = 0, ms = 0, offset = 0;
    if (i < s.size()) {
        if (s[i] != 'T' && s[i] != ' ')
            return false;
        ++i;
        if (!readDigits(s, i, 2, hour) || i >= s.size() || s[i++] != ':')
            return false;
        if (!readDigits(s, i, 2, minute, &n) || n != 2)
            return false;
        if (i < s.size() && s[i] == ':') {
            ++i;
            if (!readDigits(s, i, 2, second, &n) || n != 2)
                return false;
            if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
                ++i;
                const size_t begin = i;
                while (i < s.size() && isDigit(s[i]))
                    ++i;
                if (i == begin || i - begin > 9)
                    return false;
                for (size_t k = 0; k < 3; ++k)
                    ms = ms * 10 + (begin + k < i ? s[begin + k] - '0' : 0);
            }
        }
        if (hour > 23 || minute > 59 || second > 59)
            return false;
        if (i < s.size() && s[i] == ' ')
            ++i;
        if (i < s.size()) {
            const std::string_view zone(s.data() + i, s.size() - i);
            if (zone == "Z" || zone == "UTC" || zone == "GMT") {
                i = s.size();
            } else if (zone[0] == '+' || zone[0] == '-') {
                ++i;
                int hours = 0, minutes = 0;
                if (!readDigits(s, i, 2, hours, &n) || n != 2)
                    return false;
                if (i < s.size() && s[i] == ':')
                    ++i;
                if (i < s.size() && (!readDigits(s, i, 2, minutes, &n) || n != 2))
                    return false;
                if (hours > 14 || minutes > 59)
                    return false;
                offset = (zone[0] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
            }
            if (i != s.size())
                return false;
        }
    }
    qint64 t = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    qint64 days = t / 86400;
    qint64 secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        --days;
    }
    civilFromDays(days, year, month, day);
    if (year < 1000 || year > 9999)
        return false;
    hour = int(secs / 3600);
    minute = int(secs / 60 % 60);
    second = int(secs % 60);
    s.clear();
    s += char('0' + year / 1000);
    s += char('0' + year / 100 % 10);
    put2(s, year % 100);
    s += '-';
    put2(s, month);
    s += '-';
    put2(s, day);
    if (secs == 0 && ms == 0)
        return true; // midnight UTC is the date
    s += 'T';
    put2(s, hour);
    s += ':';
    put2(s, minute);
    s += ':';
    put2(s, second);
    if (ms) {
        s += '.';
        s += char('0' + ms / 100);
        put2(s, ms % 100);
    }
    s += 'Z';
    return true;
}

// See valuenormalisation_p.h. Mirrors toPhone() in valuecoercionphone.cpp and phone().
bool fastPhone(std::string &s)
{
    std::string digits;
    digits.reserve(s.size());
    const bool plus = s[0] == '+';
    for (size_t i = plus ? 1 : 0; i < s.size(); ++i) {
        const char c = s[i];
        if (isDigit(c))
            digits += c;
        else if (c != ' ' && c != '-' && c != '.' && c != '/')
            return false;
    }
    if (digits.empty())
        return false;
    // What toPhone accepts: "+" or "00" and the number (no default calling code is set here).
    const size_t prefix = plus ? 0 : digits.size() >= 2 && digits[0] == '0' && digits[1] == '0' ? 2 : std::string::npos;
    bool ok = prefix != std::string::npos;
    std::string_view full;
    if (ok) {
        full = std::string_view(digits).substr(prefix);
        const int codeLength = callingCodeLength(full);
        const std::string_view code = full.substr(0, size_t(codeLength));
        const std::string_view national = full.substr(size_t(codeLength));
        ok = codeLength > 0 && !(code == "1" && (national.size() != 10 || national[0] < '2'))
             && !(!national.empty() && national[0] == '0' && !keepsLeadingZero(code)) && full.size() <= 15
             && full.size() >= 8;
    }
    if (ok) {
        std::string r;
        r.reserve(full.size() + 1);
        r += '+';
        r.append(full);
        s = std::move(r);
    } else {
        // phone()'s fallback: "+" (only as written first) and the digits.
        s = plus ? '+' + digits : std::move(digits);
    }
    return true;
}

} // namespace ValueNormalisation::Detail
