#pragma once

// The fast paths of ValueNormalisation: each reads one common shape on bytes and gives exactly what
// the general path (ValueCoercion, through QString, QDateTime and regular expressions) gives for
// it. What a fast path is not sure of it leaves alone (returns false) for the general path.
// tst_valuenormalisation runs both paths on the same inputs.

#include <string>

namespace ValueNormalisation::Detail {

inline bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// A date (and time) written year first, as date() normalises it (`s` is trimmed and collapsed):
/// YYYY-MM-DD (or / or ., one- or two-digit month and day), optionally [T| ]H:MM[:SS[.fraction]]
/// and a zone Z, UTC, GMT, +HH, +HHMM or +HH:MM; written as UTC, midnight UTC as the date alone.
/// Left to the general path: AM/PM, other digits than ASCII, years outside 1000-9999.
bool fastDate(std::string &s);

/// A phone number of ASCII digits, spaces, '-', '.' and '/' after an optional leading '+', as
/// phone() normalises it: E.164 where toPhone() reads it, else the digits as written. Brackets,
/// letters, extensions and anything else are left to the general path.
bool fastPhone(std::string &s);

} // namespace ValueNormalisation::Detail
