// Sha256 (libcrypto) against the standard's test vectors and against QCryptographicHash, with the
// data given in pieces of every size the backup's reads make.
#include "core/sha256.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

class TestSha256 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownVectors_data();
    void knownVectors();
    void piecesGiveTheWholeHash();
    void resultEndsTheComputation();
};

void TestSha256::knownVectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("hex");
    // FIPS 180-2 appendix B and the empty message.
    QTest::newRow("empty") << QByteArray()
                           << u"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"_s;
    QTest::newRow("abc") << QByteArray("abc")
                         << u"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s;
    QTest::newRow("two blocks")
        << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        << u"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"_s;
    QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                 << u"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"_s;
}

void TestSha256::knownVectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, hex);
    Sha256 hash;
    hash.addData(input);
    QCOMPARE(hash.hexResult(), hex);
}

void TestSha256::piecesGiveTheWholeHash()
{
    QByteArray data(3 * 1024 * 1024 + 17, Qt::Uninitialized);
    QRandomGenerator random(20261124);
    for (char &c : data)
        c = char(random.bounded(256));
    const QByteArray expected = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    for (const qsizetype piece : {qsizetype(1), qsizetype(63), qsizetype(64), qsizetype(65),
                                  qsizetype(4096), qsizetype(1 << 20), data.size()}) {
        Sha256 hash;
        for (qsizetype at = 0; at < data.size(); at += piece)
            hash.addData(QByteArrayView(data).sliced(at, std::min(piece, data.size() - at)));
        QCOMPARE(hash.result().size(), 32);
        QVERIFY2(hash.result() == expected, qPrintable(u"pieces of %1 bytes"_s.arg(piece)));
    }
}

void TestSha256::resultEndsTheComputation()
{
    Sha256 hash;
    hash.addData("abc");
    const QByteArray first = hash.result();
    hash.addData("more");
    QCOMPARE(hash.result(), first);
    QCOMPARE(hash.hexResult(), u"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"_s);
}

QTEST_GUILESS_MAIN(TestSha256)
#include "tst_sha256.moc"
