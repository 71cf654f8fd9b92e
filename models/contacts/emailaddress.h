#pragma once

#include <QByteArrayView>
#include <QString>

#include <string>

/**
 * Email address rules shared by the assessment, the transfer and the integrity diff.
 * They work on UTF-8 bytes so that a million rows are checked without building QStrings.
 */
namespace EmailAddress {

/// The key two spellings of one address share: surrounding white space removed and lower-cased
/// (ASCII fast path); an address that is not ASCII is also put in Unicode NFC and its domain in
/// its ASCII (IDNA, "xn--") form. The transfer journal, the wave assignment, the assessment's
/// duplicate check and the integrity diff all key contacts by this.
std::string normalized(QByteArrayView address);

/// Removes surrounding spaces, tabs and no-break spaces.
QByteArrayView trimmed(QByteArrayView address);

/// Whether the (trimmed) address is syntactically valid for sending: one `@`; a local part of
/// 1-64 bytes of RFC 5322 atext and dots (no leading, trailing or doubled dot) or a quoted string;
/// a domain of 1-253 bytes made of dot-separated labels of 1-63 letters, digits and hyphens (not at
/// either end), with at least two labels and a top-level label that is not all digits; at most 254
/// bytes in all. Non-ASCII letters (internationalised addresses) are allowed in both parts.
bool isValid(QByteArrayView address);

/// Why an address is not valid, for the listing (translated); empty when it is valid.
QString problem(QByteArrayView address);

} // namespace EmailAddress
