#include "reports/planlayout.h"

#include "reports/plandocument.h"
#include "sampleplan.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPageLayout>
#include <QPdfWriter>
#include <QTest>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextFrame>
#include <QTextTable>

#include <map>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QMarginsF kMargins(18, 16, 18, 20);

/// A plan laid out on A4 for a PDF writer, as PlanPdfWriter does.
struct Laid
{
    QByteArray bytes;
    QBuffer buffer{&bytes};
    std::unique_ptr<QPdfWriter> writer;
    std::unique_ptr<PlanLayout> layout;

    explicit Laid(const PlanDocument &plan)
    {
        buffer.open(QIODevice::WriteOnly);
        writer = std::make_unique<QPdfWriter>(&buffer);
        writer->setResolution(1200);
        writer->setPageLayout(
            QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF()));
        layout = std::make_unique<PlanLayout>(plan, *writer, kMargins);
    }

    const QTextDocument &doc() const { return layout->document(); }
    QRectF rect(const QTextBlock &b) const { return doc().documentLayout()->blockBoundingRect(b); }
    int page(qreal y) const { return int(y / layout->sheet().height()); }
    QString where(const QTextBlock &b) const
    {
        return u"'%1' on page %2"_s.arg(b.text().left(40)).arg(page(rect(b).top()) + 1);
    }
};

QList<QTextTable *> tables(const QTextDocument &doc)
{
    QList<QTextTable *> out;
    const QList<QTextFrame *> frames = doc.rootFrame()->childFrames();
    for (QTextFrame *f : frames) {
        if (auto *t = qobject_cast<QTextTable *>(f))
            out.append(t);
    }
    return out;
}

QList<QTextBlock> blocksOf(const QTextTableCell &cell)
{
    QList<QTextBlock> out;
    for (auto it = cell.begin(); !it.atEnd(); ++it) {
        if (it.currentBlock().isValid())
            out.append(it.currentBlock());
    }
    return out;
}

} // namespace

class tst_PlanLayout : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plans_data();
    void noTableRowRunsOverAPageBreak_data() { plans_data(); }
    void noTableRowRunsOverAPageBreak();
    void checklistGroupsStayTogether_data() { plans_data(); }
    void checklistGroupsStayTogether();
    void headingsStayWithWhatFollows_data() { plans_data(); }
    void headingsStayWithWhatFollows();
    void textStaysInsideTheMargins_data() { plans_data(); }
    void textStaysInsideTheMargins();
    void longTimelineBreaksIntoSlicesThatFitAPage();

private:
    // Laid out once (a large plan takes a second or so), by name.
    std::map<QString, std::unique_ptr<Laid>> m_laid;
};

void tst_PlanLayout::initTestCase()
{
    m_laid[u"full"_s] = std::make_unique<Laid>(SamplePlan::full());
    m_laid[u"large"_s] = std::make_unique<Laid>(SamplePlan::large());
    m_laid[u"empty"_s] = std::make_unique<Laid>(SamplePlan::empty());
}

void tst_PlanLayout::plans_data()
{
    QTest::addColumn<QString>("plan");
    for (const auto &[name, laid] : m_laid)
        QTest::newRow(qPrintable(name)) << name;
}

void tst_PlanLayout::noTableRowRunsOverAPageBreak()
{
    QFETCH(QString, plan);
    const Laid &laid = *m_laid.at(plan);
    int rows = 0;
    for (QTextTable *table : tables(laid.doc())) {
        for (int r = table->format().headerRowCount(); r < table->rows(); ++r) {
            int first = INT_MAX;
            int last = -1;
            for (int c = 0; c < table->columns(); ++c) {
                for (const QTextBlock &b : blocksOf(table->cellAt(r, c))) {
                    first = std::min(first, laid.page(laid.rect(b).top()));
                    last = std::max(last, laid.page(laid.rect(b).bottom()));
                }
            }
            QVERIFY2(first == last, qPrintable(laid.where(blocksOf(table->cellAt(r, 0)).value(0))));
            ++rows;
        }
    }
    QVERIFY(rows > 0);
}

void tst_PlanLayout::checklistGroupsStayTogether()
{
    // A row across the table names a stage; its tasks follow on the same page (the sample's
    // groups are short enough to be kept whole).
    QFETCH(QString, plan);
    const Laid &laid = *m_laid.at(plan);
    for (QTextTable *table : tables(laid.doc())) {
        const auto spans = [table](int row) {
            return table->columns() > 1 && table->cellAt(row, 0).columnSpan() == table->columns();
        };
        for (int r = 0; r < table->rows(); ++r) {
            if (!spans(r))
                continue;
            const QTextBlock group = blocksOf(table->cellAt(r, 0)).value(0);
            const int page = laid.page(laid.rect(group).top());
            for (int t = r + 1; t < table->rows() && !spans(t); ++t) {
                const QTextBlock task = blocksOf(table->cellAt(t, 0)).value(0);
                QVERIFY2(laid.page(laid.rect(task).bottom()) == page,
                         qPrintable(laid.where(group)));
            }
        }
    }
}

void tst_PlanLayout::headingsStayWithWhatFollows()
{
    QFETCH(QString, plan);
    const Laid &laid = *m_laid.at(plan);
    int headings = 0;
    for (QTextBlock b = laid.doc().begin(); b.isValid(); b = b.next()) {
        if (b.blockFormat().headingLevel() == 0 || !b.next().isValid())
            continue;
        ++headings;
        QVERIFY2(laid.page(laid.rect(b).top()) == laid.page(laid.rect(b.next()).top()),
                 qPrintable(laid.where(b)));
    }
    QVERIFY(headings >= 9);
}

void tst_PlanLayout::textStaysInsideTheMargins()
{
    QFETCH(QString, plan);
    const Laid &laid = *m_laid.at(plan);
    const QRectF sheet = laid.layout->sheet();
    const QRectF body = laid.layout->body();
    QVERIFY(laid.layout->pageCount() >= 2);
    // Every block, those in table cells too: a long URL would widen its table past the margin.
    for (QTextBlock b = laid.doc().begin(); b.isValid(); b = b.next()) {
        if (b.length() <= 1)
            continue; // empty blocks, e.g. after a table
        const QRectF r = laid.rect(b);
        const qreal top = laid.page(r.top()) * sheet.height();
        QVERIFY2(r.top() >= top + body.top() - 1 && r.bottom() <= top + body.bottom() + 1,
                 qPrintable(laid.where(b)));
        QVERIFY2(r.left() >= body.left() - 1 && r.right() <= body.right() + 1,
                 qPrintable(laid.where(b)));
    }
}

void tst_PlanLayout::longTimelineBreaksIntoSlicesThatFitAPage()
{
    // 36 stages do not fit under the heading on one page: the chart comes in slices.
    const Laid &laid = *m_laid.at(u"large"_s);
    const QRectF sheet = laid.layout->sheet();
    const QRectF body = laid.layout->body();
    QList<QRectF> slices;
    for (QTextBlock b = laid.doc().begin(); b.isValid(); b = b.next()) {
        if (b.text().contains(QChar::ObjectReplacementCharacter))
            slices.append(laid.rect(b));
    }
    QVERIFY(slices.size() >= 2);
    for (const QRectF &r : std::as_const(slices)) {
        const qreal top = laid.page(r.top()) * sheet.height();
        QVERIFY(r.top() >= top + body.top() - 1);
        QVERIFY(r.bottom() <= top + body.bottom() + 1);
    }
}

QTEST_MAIN(tst_PlanLayout)
#include "tst_planlayout.moc"
