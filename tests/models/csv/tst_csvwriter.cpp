#include "csv/csvreader.h"
#include "csv/csvwriter.h"

#include <QBuffer>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_CsvWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fields_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("written");
        QTest::addColumn<QString>("readBack");
        QTest::newRow("plain") << u"plain"_s << u"plain"_s << u"plain"_s;
        QTest::newRow("comma") << u"a,b"_s << u"\"a,b\""_s << u"a,b"_s;
        QTest::newRow("quote") << u"say \"hi\""_s << u"\"say \"\"hi\"\"\""_s << u"say \"hi\""_s;
        QTest::newRow("newline") << u"two\nlines"_s << u"\"two\nlines\""_s << u"two\nlines"_s;
        QTest::newRow("semicolon") << u"a;b"_s << u"\"a;b\""_s << u"a;b"_s;
        QTest::newRow("blanks kept") << u" padded "_s << u"\" padded \""_s << u" padded "_s;
        QTest::newRow("formula") << u"=HYPERLINK(1)"_s << u"'=HYPERLINK(1)"_s << u"'=HYPERLINK(1)"_s;
        QTest::newRow("plus") << u"+49 30"_s << u"'+49 30"_s << u"'+49 30"_s;
        QTest::newRow("formula with comma") << u"@SUM(1,2)"_s << u"\"'@SUM(1,2)\""_s << u"'@SUM(1,2)"_s;
        QTest::newRow("empty") << QString() << QString() << QString();
    }
    void fields()
    {
        QFETCH(QString, value);
        QFETCH(QString, written);
        QFETCH(QString, readBack);
        QCOMPARE(CsvWriter::field(value), written);

        // Read back by the project's strict reader, beside a second column.
        QString csv;
        CsvWriter::appendRecord(csv, {u"value"_s, u"next"_s});
        CsvWriter::appendRecord(csv, {value, u"x"_s});
        QVERIFY(csv.endsWith(u"x\r\n"_s));
        QByteArray bytes = csv.toUtf8();
        QBuffer buffer(&bytes);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        CsvReader reader(u"test.csv"_s);
        QStringList cells;
        QVERIFY(reader.read(buffer, [&](qint64, std::span<const QByteArrayView> f) {
            if (cells.isEmpty() && f.size() == 2 && f[0] == "value")
                return true;
            cells.append(QString::fromUtf8(f[0]));
            cells.append(QString::fromUtf8(f[1]));
            return true;
        }));
        QCOMPARE(cells, (QStringList{readBack, u"x"_s}));
    }
};

QTEST_GUILESS_MAIN(tst_CsvWriter)
#include "tst_csvwriter.moc"
