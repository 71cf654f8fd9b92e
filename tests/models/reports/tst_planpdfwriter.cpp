#include "reports/planpdfwriter.h"

#include "reports/plandocument.h"
#include "sampleplan.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPdfDocument>
#include <QPdfSelection>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// Text as compared here: the PDF reader gives lines ending in CR LF, and ordinary spaces for
/// no-break and en spaces.
QString normalised(QString text)
{
    text.replace(u"\r\n"_s, u"\n"_s);
    text.replace(QChar(0x00a0), u' ');
    text.replace(QChar(0x2002), u' ');
    return text;
}

/// The text of every page, as a reader selecting it would get it.
struct PdfText
{
    QPdfDocument::Error error = QPdfDocument::Error::Unknown;
    QStringList pages;

    QString all() const { return pages.join(u'\n'); }
    int pageOf(const QString &text, int from = 0) const
    {
        for (int i = from; i < pages.size(); ++i) {
            if (pages[i].contains(text))
                return i;
        }
        return -1;
    }
};

PdfText readPdf(const QByteArray &bytes)
{
    PdfText out;
    QTemporaryDir dir;
    const QString path = TestSupport::writeFile(dir.path(), u"plan.pdf"_s, bytes);
    QPdfDocument pdf;
    out.error = pdf.load(path);
    for (int i = 0; i < pdf.pageCount(); ++i)
        out.pages.append(normalised(pdf.getAllText(i).text()));
    return out;
}

} // namespace

class tst_PlanPdfWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everySectionInOrder();
    void keyValuesAreText();
    void longChecklistRunsOverPagesWithItsHeader();
    void footerHasProjectAndPageNumbers();
    void ganttChartIsTextNotPicture();
    void aParagraphOverAPageBreakIsTextOnce();
    void emptyPartsSaySo();
    void fontsAreEmbedded();
    void writeSavesTheFile();
    void checklistAloneHasEveryTaskAndNothingElse();
    void writeToAMissingFolderFailsAndLeavesNothing();
    void writeOverADirectoryFailsAndLeavesItAlone();

private:
    QByteArray m_full;
    PdfText m_text;
};

void tst_PlanPdfWriter::initTestCase()
{
    const Result<QByteArray> pdf = PlanPdfWriter::render(SamplePlan::full());
    QVERIFY2(pdf.ok(), qPrintable(pdf.ok() ? QString() : pdf.error().toString()));
    m_full = pdf.value();
    QVERIFY(m_full.startsWith("%PDF-"));
    m_text = readPdf(m_full);
    QCOMPARE(m_text.error, QPdfDocument::Error::None);
}

void tst_PlanPdfWriter::everySectionInOrder()
{
    // A cover, then eight sections: a dozen pages or so, not one and not a hundred.
    QVERIFY2(m_text.pages.size() >= 8 && m_text.pages.size() <= 20,
             qPrintable(QString::number(m_text.pages.size())));
    const QStringList headings = {u"Migration plan"_s,
                                  u"Objectives and KPIs"_s,
                                  u"Assessment summary"_s,
                                  u"Platform comparison"_s,
                                  u"Timeline"_s,
                                  u"Stages: entry and exit criteria"_s,
                                  u"Risks and mitigations"_s,
                                  u"Checklist"_s,
                                  u"Sign-off"_s};
    const QString all = m_text.all();
    qsizetype at = -1;
    for (const QString &h : headings) {
        const qsizetype found = all.indexOf(h, at + 1);
        QVERIFY2(found > at, qPrintable(u"'%1' missing or out of order"_s.arg(h)));
        at = found;
    }
    // The cover is a page of its own: objectives start the next one, the timeline a new one.
    QCOMPARE(m_text.pageOf(u"Objectives and KPIs"_s), 1);
    const int timeline = m_text.pageOf(u"4 Timeline"_s);
    QVERIFY(timeline > 1);
    QVERIFY(m_text.pages[timeline].startsWith(u"4 Timeline"_s));
}

void tst_PlanPdfWriter::keyValuesAreText()
{
    const QString cover = m_text.pages.value(0);
    QVERIFY(cover.contains(u"Northwind Tea newsletter"_s));
    QVERIFY(cover.contains(u"Mailchimp \u2192 Brevo"_s));
    QVERIFY(cover.contains(u"Alex Morgan"_s));
    QVERIFY(cover.contains(u"16 February 2026"_s)); // in the C locale of the tests

    // Table cells wrap: compare with every line break and run of spaces as one space.
    const QString flowing = m_text.all().simplified();
    const QStringList values = {
        u"Hard bounce rate < 2\u00a0% (first wave)"_s, // a KPI criterion, Objective::criterion()
        u"Sync delay CRM to email platform \u2264 15 minutes (testing stage)"_s,
        u"39,812"_s,       // subscribed contacts
        u"Loyalty tier"_s, // a custom field
        u"tasting club"_s, // a tag in the top 15
        u"Brevo (chosen)"_s,
        u"84.2"_s,
        u"Klaviyo"_s,
        u"MailerLite"_s,
        u"EU hosting and the lowest price"_s,                // the reasons
        u"Wave 0: suppressions"_s,                           // a stage title
        u"Hard bounce rate below 2 %"_s,                     // an exit criterion
        u"Consent evidence missing for some subscribers"_s,  // a risk title
        u"Export every audience with all fields and tags"_s, // a checklist task
        u"Lena Fischer"_s,
        u"Data protection officer"_s, // a signer
    };
    for (const QString &v : values)
        QVERIFY2(flowing.contains(normalised(v)),
                 qPrintable(u"'%1' is not in the PDF's text"_s.arg(v)));
}

void tst_PlanPdfWriter::longChecklistRunsOverPagesWithItsHeader()
{
    const int start = m_text.pageOf(u"7 Checklist"_s);
    const int end = m_text.pageOf(u"8 Sign-off"_s);
    QVERIFY(start > 0);
    QVERIFY2(end > start, "46 checklist items do not fit on one page");
    // The last stage's tasks are on a later page than the heading, under a repeated header row.
    const int last = m_text.pageOf(u"Close the Mailchimp account: prepare"_s, start);
    QVERIFY(last > start);
    for (int page = start; page <= last; ++page) {
        QVERIFY2(m_text.pages[page].contains(u"Task"_s) && m_text.pages[page].contains(u"Status"_s),
                 qPrintable(u"no table header on page %1"_s.arg(page + 1)));
    }
}

void tst_PlanPdfWriter::footerHasProjectAndPageNumbers()
{
    const int pages = int(m_text.pages.size());
    for (int i = 1; i < pages; ++i) {
        QVERIFY2(m_text.pages[i].contains(u"Page %1 of %2"_s.arg(i + 1).arg(pages)),
                 qPrintable(QString::number(i)));
        QVERIFY(m_text.pages[i].contains(u"Northwind Tea newsletter \u2014 Migration plan"_s));
    }
}

void tst_PlanPdfWriter::ganttChartIsTextNotPicture()
{
    // The chart's axis and labels are painted text on the timeline page, so they are vectors.
    const QString page = m_text.pages.value(m_text.pageOf(u"4 Timeline"_s));
    QVERIFY(page.contains(u"March 2026"_s));
    QVERIFY(page.contains(u"May 2026"_s));
    QVERIFY(page.contains(u"Subscriber waves"_s)); // the legend
    QVERIFY(page.contains(u"Must finish before"_s));
    QVERIFY(!m_full.contains("/Subtype /Image"));
}

void tst_PlanPdfWriter::aParagraphOverAPageBreakIsTextOnce()
{
    // Qt draws the last line before a page break once more on the next page, clipped; that copy
    // must not end up in the text a reader searches and copies.
    PlanDocument plan = SamplePlan::full();
    QStringList lines;
    for (int i = 1; i <= 90; ++i)
        lines.append(u"Reason number %1 is written here."_s.arg(i));
    plan.choice.reasons = lines.join(u'\n');
    const Result<QByteArray> pdf = PlanPdfWriter::render(plan);
    QVERIFY(pdf.ok());
    const PdfText text = readPdf(pdf.value());
    int spanned = 0;
    for (int i = 1; i <= 90; ++i) {
        const QString line = u"Reason number %1 is"_s.arg(i);
        int pages = 0;
        for (const QString &page : text.pages)
            pages += page.contains(line) ? 1 : 0;
        QVERIFY2(pages == 1, qPrintable(u"'%1' on %2 pages"_s.arg(line).arg(pages)));
        spanned = std::max(spanned, text.pageOf(line));
    }
    QVERIFY(spanned > text.pageOf(u"Reason number 1 is"_s)); // it did run over a page break
}

void tst_PlanPdfWriter::emptyPartsSaySo()
{
    const Result<QByteArray> pdf = PlanPdfWriter::render(SamplePlan::empty());
    QVERIFY(pdf.ok());
    const PdfText text = readPdf(pdf.value());
    QCOMPARE(text.error, QPdfDocument::Error::None);
    const QString all = text.all();
    for (
        const QString &sentence :
        {u"No objectives have been set yet"_s, u"No export has been assessed yet"_s,
         u"No templates, campaigns, automations, integrations or sending domains have been entered yet"_s,
         u"No platforms have been compared yet."_s, u"No platform has been chosen yet."_s,
         u"No timeline has been planned yet."_s, u"No stages have been planned yet."_s,
         u"No risks have been assessed yet"_s, u"No checklist has been drawn up yet."_s,
         u"Mailchimp \u2192 target not chosen yet"_s, u"not named yet"_s}) {
        QVERIFY2(all.contains(sentence), qPrintable(sentence));
    }
    // Every heading is still there, and the sign-off has blank lines to sign on.
    QVERIFY(all.contains(u"Assessment summary"_s));
    QVERIFY(all.contains(u"Sign-off"_s));
    QVERIFY(all.contains(u"Signature"_s));
    QVERIFY(text.pages.size() >= 2);
}

void tst_PlanPdfWriter::fontsAreEmbedded()
{
    // Embedded TrueType programs (FontFile2), DejaVu as found through fontconfig: a reader
    // without the font shows the same text.
    QVERIFY(m_full.contains("/FontFile2"));
    QVERIFY(m_full.contains("DejaVuSans"));
}

void tst_PlanPdfWriter::writeSavesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"plan.pdf"_s);
    const Status s = PlanPdfWriter::write(SamplePlan::full(), path);
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"plan.pdf"_s});
}

void tst_PlanPdfWriter::checklistAloneHasEveryTaskAndNothingElse()
{
    const PlanDocument plan = SamplePlan::full();
    const Result<QByteArray> pdf = PlanPdfWriter::renderChecklist(plan);
    QVERIFY2(pdf.ok(), qPrintable(pdf.ok() ? QString() : pdf.error().toString()));
    const PdfText text = readPdf(pdf.value());
    QCOMPARE(text.error, QPdfDocument::Error::None);
    QVERIFY(text.pages.size() >= 2); // 44 tasks do not fit one page
    const QString all = text.all();
    QVERIFY(all.contains(u"Migration checklist"_s));
    QVERIFY(all.contains(plan.projectName));
    for (const ResolvedChecklistItem &r : plan.checklist) {
        // Long titles wrap: their first words are on a line.
        const QString start = r.item.title.section(u' ', 0, 2);
        QVERIFY2(all.contains(start), qPrintable(start));
    }
    for (const QString &absent : {u"Objectives and KPIs"_s, u"Platform comparison"_s, u"Sign-off"_s})
        QVERIFY2(!all.contains(absent), qPrintable(absent));
    // Every page has the footer, the first one too (there is no cover).
    for (int i = 0; i < text.pages.size(); ++i)
        QVERIFY2(text.pages[i].contains(u"Page %1 of %2"_s.arg(i + 1).arg(text.pages.size())), qPrintable(QString::number(i)));

    QTemporaryDir dir;
    QVERIFY(PlanPdfWriter::writeChecklist(plan, dir.filePath(u"checklist.pdf"_s)).ok());
    QVERIFY(!PlanPdfWriter::writeChecklist(plan, dir.filePath(u"missing/checklist.pdf"_s)).ok());
}

void tst_PlanPdfWriter::writeToAMissingFolderFailsAndLeavesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"missing/plan.pdf"_s);
    const Status s = PlanPdfWriter::write(SamplePlan::full(), path);
    QVERIFY(!s.ok());
    QVERIFY(s.error().where.contains(u"plan.pdf"_s));
    QVERIFY(!s.error().message.isEmpty());
    QVERIFY(!s.error().hint.isEmpty());
    QVERIFY(!QFile::exists(path));
    QVERIFY(QDir(dir.path())
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty());
}

void tst_PlanPdfWriter::writeOverADirectoryFailsAndLeavesItAlone()
{
    // A path that cannot become a file (permissions do not stop root, which CI may be).
    QTemporaryDir dir;
    const QString path = dir.filePath(u"plan.pdf"_s);
    QVERIFY(QDir(dir.path()).mkdir(u"plan.pdf"_s));
    const Status s = PlanPdfWriter::write(SamplePlan::full(), path);
    QVERIFY(!s.ok());
    QVERIFY(QFileInfo(path).isDir());
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{u"plan.pdf"_s});
}

QTEST_MAIN(tst_PlanPdfWriter)
#include "tst_planpdfwriter.moc"
