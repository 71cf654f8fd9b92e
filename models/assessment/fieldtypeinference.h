#pragma once

#include "contacts/fieldtype.h"

#include <QByteArrayView>
#include <QString>

#include <cstdint>

/**
 * Infers a column's type from its values, one value at a time, in constant memory.
 *
 * Each candidate type stays possible while every non-empty value fits it; at the end the most
 * specific survivor wins (birthday, date, phone or number, URL, address, else text). The column
 * name breaks the ties a value cannot (ten digits are a number unless the column is a phone).
 */
class FieldTypeInference
{
public:
    explicit FieldTypeInference(const QString &columnName = {});

    /// Feeds one trimmed, non-empty value.
    void add(QByteArrayView value);
    FieldType result() const;

    // The single-value rules, exposed for tests.
    static bool isNumber(QByteArrayView v);
    static bool isDate(QByteArrayView v);
    static bool isBirthday(QByteArrayView v);
    static bool isPhone(QByteArrayView v, bool *formatted = nullptr);
    static bool isUrl(QByteArrayView v);
    static bool isAddress(QByteArrayView v);

private:
    enum Bit : std::uint8_t {
        Number = 1, Date = 2, Birthday = 4, Phone = 8, Url = 16, Address = 32,
    };
    std::uint8_t m_mask = Number | Date | Birthday | Phone | Url | Address;
    bool m_any = false;
    bool m_phoneFormatted = false; // a value had '+', spaces, dashes or brackets
    bool m_nameSaysPhone = false;
    bool m_nameSaysAddress = false;
    bool m_nameSaysBirthday = false;
};
