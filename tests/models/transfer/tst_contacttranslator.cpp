#include "transfer/contacttranslator.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// Mailchimp merge fields as the connector reads them, and the inventory's view of them.
QList<FieldDefinition> mergeFields()
{
    auto f = [](const char *key, const char *label, FieldType type, const char *format = "") {
        FieldDefinition d;
        d.key = QString::fromLatin1(key);
        d.label = QString::fromLatin1(label);
        d.type = type;
        d.format = QString::fromLatin1(format);
        return d;
    };
    return {f("FNAME", "First Name", FieldType::Text), f("ADDRESS", "Address", FieldType::Address),
            f("BIRTHDAY", "Birthday", FieldType::Birthday, "MM/DD"), f("PHONE", "Phone Number", FieldType::Phone),
            f("SHOE", "Shoe size", FieldType::Number), f("JOINED", "Joined", FieldType::Date, "DD/MM/YYYY")};
}

QList<InventoryField> inventoryFields()
{
    QList<InventoryField> out;
    for (const FieldDefinition &d : mergeFields())
        out.append(InventoryField{d.label, d.type, 1, true});
    out.append(InventoryField{u"TAGS"_s, FieldType::Tags, 1, false});
    out.append(InventoryField{u"OPTIN_TIME"_s, FieldType::Date, 1, false});
    return out;
}

SourceContact member()
{
    SourceContact c;
    c.email = u" ada@example.com "_s;
    c.status = ContactStatus::Subscribed;
    c.fields = {{u"FNAME"_s, u"Ada"_s},
                {u"ADDRESS"_s, u"1 Main St  Springfield  IL  62701  US"_s},
                {u"BIRTHDAY"_s, u"12/10"_s},
                {u"PHONE"_s, u"+44 20 7946 0001"_s},
                {u"SHOE"_s, u"38.5"_s},
                {u"JOINED"_s, u"03/04/2021"_s}};
    c.tags = {u"VIP"_s, u"Spring sale"_s};
    c.consent.optinTime = QDateTime(QDate(2021, 4, 3), QTime(9, 0), Qt::UTC);
    c.language = u"en"_s;
    return c;
}

} // namespace

class tst_ContactTranslator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void brevoGetsEveryMappedValueInItsForm()
    {
        const ContactTranslator t(TargetPlatform::Brevo, FieldMapping::suggest(inventoryFields(), TargetPlatform::Brevo),
                                  mergeFields());
        const Result<TargetContact> r = t.translate(member());
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        const TargetContact &c = r.value();
        QCOMPARE(c.email, u"ada@example.com"_s);
        QCOMPARE(c.fields.value(u"FIRSTNAME"_s).toString(), u"Ada"_s);
        // The address split over Brevo's text attributes; addr2 was empty.
        QCOMPARE(c.fields.value(u"ADDRESS_LINE_1"_s).toString(), u"1 Main St"_s);
        QVERIFY(!c.fields.contains(u"ADDRESS_LINE_2"_s));
        QCOMPARE(c.fields.value(u"ADDRESS_CITY"_s).toString(), u"Springfield"_s);
        QCOMPARE(c.fields.value(u"ADDRESS_STATE"_s).toString(), u"IL"_s);
        QCOMPARE(c.fields.value(u"ADDRESS_ZIP"_s).toString(), u"62701"_s);
        QCOMPARE(c.fields.value(u"ADDRESS_COUNTRY"_s).toString(), u"US"_s);
        // A birthday without a year: Brevo's dates need one, the placeholder year.
        QCOMPARE(c.fields.value(u"BIRTHDAY"_s).toDate(), QDate(1904, 12, 10));
        QCOMPARE(c.fields.value(u"SMS"_s).toString(), u"+442079460001"_s);
        QCOMPARE(c.fields.value(u"SHOE_SIZE"_s).typeId(), QMetaType::Double);
        QCOMPARE(c.fields.value(u"SHOE_SIZE"_s).toDouble(), 38.5);
        // Day first, as the merge field declares.
        QCOMPARE(c.fields.value(u"JOINED"_s).toDate(), QDate(2021, 4, 3));
        QCOMPARE(c.tags, (QStringList{u"VIP"_s, u"Spring sale"_s}));
        QCOMPARE(c.language, u"en"_s);
        // Consent exactly as ConsentMapping says; the evidence is its attributes, not a mapped field.
        QCOMPARE(c.write.wave, WriteWave::Subscriber);
        QVERIFY(!c.write.triggersDoubleOptIn());
        QVERIFY(c.write.attribute(u"OPTIN_TIME").isValid());
        QVERIFY(!c.fields.contains(u"OPTIN_TIME"_s));
    }

    void consentIsNeverTheMappingsToDecide()
    {
        const ContactTranslator t(TargetPlatform::Klaviyo, FieldMapping::suggest(inventoryFields(), TargetPlatform::Klaviyo),
                                  mergeFields());
        for (const ContactStatus s : kAllContactStatuses) {
            SourceContact m = member();
            m.status = s;
            const Result<TargetContact> r = t.translate(m);
            QVERIFY(r.ok());
            const ContactWrite expected = ConsentMapping::map(s, m.consent, TargetPlatform::Klaviyo);
            QCOMPARE(r->write.wave, expected.wave);
            QCOMPARE(r->write.level(), expected.level());
            QVERIFY(!ConsentMapping::isConsentViolation(s, r->write.expectedOnTarget.value_or(s)));
        }
    }

    void aValueThatCannotBeCoercedNamesTheContactAndField()
    {
        const ContactTranslator t(TargetPlatform::Brevo, FieldMapping::suggest(inventoryFields(), TargetPlatform::Brevo),
                                  mergeFields());
        SourceContact m = member();
        m.fields[u"SHOE"_s] = u"38 EU"_s;
        const Result<TargetContact> r = t.translate(m);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().where, m.email);
        QVERIFY2(r.error().message.startsWith(u"Shoe size: "_s), qPrintable(r.error().message));
        QCOMPARE(r.error().code, u"invalid_value"_s);
        QVERIFY(!r.error().hint.isEmpty());
    }

    void emptyValuesAreLeftOutAndUnmappedFieldsAreNotWritten()
    {
        QList<FieldMappingRow> rows = FieldMapping::suggest(inventoryFields(), TargetPlatform::Brevo);
        for (FieldMappingRow &row : rows) {
            if (row.source == u"Shoe size")
                row.kind = FieldMappingRow::Kind::Unmapped; // the user chose not to transfer it
        }
        const ContactTranslator t(TargetPlatform::Brevo, rows, mergeFields());
        SourceContact m = member();
        m.fields[u"FNAME"_s] = u"   "_s;
        const Result<TargetContact> r = t.translate(m);
        QVERIFY(r.ok());
        QVERIFY(!r->fields.contains(u"FIRSTNAME"_s));
        QVERIFY(!r->fields.contains(u"SHOE_SIZE"_s));
        QVERIFY(r->fields.contains(u"SMS"_s));
    }
};

QTEST_GUILESS_MAIN(tst_ContactTranslator)
#include "tst_contacttranslator.moc"
