#pragma once

#include "assessment/addressindex.h"
#include "assessment/fieldtypeinference.h"
#include "assessment/inventory.h"
#include "exports/exportdialect.h"

#include <QByteArrayView>
#include <QCoreApplication>
#include <QSet>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct ExportPart;
class CsvReader;

/**
 * Accumulates the inventory of export files record by record. Memory grows with the number of
 * distinct addresses (AddressIndex), fields, tags and listed findings, never with the file.
 */
class InventoryBuilder
{
    Q_DECLARE_TR_FUNCTIONS(InventoryBuilder)

public:
    InventoryBuilder();

    /// Starts the next part; its columns join the fields of earlier parts by name.
    void beginPart(const ExportPart &part, const ExportLayout &layout);
    /// One data record of the current part (fields in UTF-8, as many as the header has).
    void addRecord(qint64 line, std::span<const QByteArrayView> fields);
    /// Ends the current part with what its reader found out about the file.
    void endPart(const CsvReader &reader);
    /// Ends a part that was not read from a file (records read through an API).
    void endPart();

    Inventory finish();

    qint64 rowsSoFar() const { return m_inv.total; }

private:
    struct FieldAcc
    {
        QString name;
        std::optional<FieldType> knownType;
        FieldTypeInference inference;
        qint64 filled = 0;
        bool custom = true;
    };
    struct StringHash
    {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const;
    };

    ContactStatus rowStatus(std::span<const QByteArrayView> fields, std::optional<ContactStatus> word);
    void countTags(QByteArrayView value);
    void countLastChanged(QByteArrayView value);

    Inventory m_inv;
    std::vector<FieldAcc> m_fields;
    QHash<QString, int> m_fieldByName;
    std::unordered_map<std::string, qint64, StringHash, std::equal_to<>> m_tags;
    std::unordered_map<qint64, qint64> m_daysChanged; // julian day -> rows
    AddressIndex m_index;
    QStringList m_partNames;
    QSet<QString> m_unrecognised;

    // The current part.
    ExportLayout m_layout;
    std::vector<int> m_columnField; // column -> index in m_fields, -1 for the email column
    int m_statusCol = -1, m_blockCol = -1, m_suppressionCol = -1, m_tagsCol = -1;
    int m_optinTimeCol = -1, m_optinIpCol = -1, m_confirmTimeCol = -1, m_confirmIpCol = -1, m_consentTimeCol = -1;
    int m_ratingCol = -1, m_lastChangedCol = -1;
    qint64 m_partRows = 0;
    InventorySource m_source;
};
