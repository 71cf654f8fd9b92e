// The integrity review window with big results (issue 6): a generated pair of exports (diffpair.h)
// compared on demand in the review window offscreen, and the source against an empty target, which
// lists every contact as missing (a million rows with --contacts 1000000). Prints how long the
// comparison took, the longest the event loop was held meanwhile, and how long each filter, the
// scroll to the last row and its detail pane took with the table painted.
//
// bench_review [--contacts N] (default 1000000)

#include "diffpair.h"

#include "dialogs/reviewwindow.h"
#include "integrity/diffmodel.h"
#include "integrity/integrityreview.h"
#include "project/projectsession.h"
#include "store/projectstore.h"
#include "transfer/transfercontroller.h"
#include "widgets/reviewpanel.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

template<typename T>
T *child(QWidget *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no widget named %s", qPrintable(name));
    return w;
}

/// Runs `step` and paints the window; returns milliseconds.
template<typename F>
double timed(QWidget *window, F step)
{
    QElapsedTimer t;
    t.start();
    step();
    window->repaint();
    QCoreApplication::processEvents(); // a benchmark's own loop, not model code
    return double(t.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    qint64 contacts = 1000000;
    const QStringList args = app.arguments();
    if (const qsizetype i = args.indexOf(u"--contacts"_s); i >= 0 && i + 1 < args.size())
        contacts = args.at(i + 1).toLongLong();

    QTemporaryDir dir;
    DiffPairFiles files;
    DiffExpectation expected;
    QString error;
    if (!DiffPair::write(dir.path(), contacts, 20261124, files, expected, error)) {
        QTextStream(stderr) << error << '\n';
        return 1;
    }
    // A target with the Brevo header and nobody: every source contact is missing.
    const QString empty = dir.filePath(u"empty-brevo-export.csv"_s);
    {
        QFile in(files.target), o(empty);
        if (!in.open(QIODevice::ReadOnly) || !o.open(QIODevice::WriteOnly))
            return 1;
        o.write(in.readLine());
    }

    auto store = ProjectStore::create(dir.filePath(u"bench.stagecoach"_s), u"Bench"_s);
    if (!store)
        return 1;
    ProjectSession session(std::move(store).value(), nullptr);
    ReviewWindow window(session.review(), session.transfer());
    window.setFilesMode();
    window.resize(1280, 900);
    window.show();
    ReviewPanel *panel = window.panel();
    auto *table = child<QTableView>(panel, u"differencesView"_s);

    out() << "# " << contacts << " source contacts; the pair has " << expected.missing << " missing, "
          << expected.extra << " extra, " << expected.changed << " changed\n";
    out() << "case,rows,compare_s,max_event_loop_stall_ms,kind_filter_ms,field_filter_ms,text_filter_ms,"
             "clear_ms,scroll_to_end_ms,detail_ms\n"
          << Qt::flush;
    for (const auto &[name, target] : {std::pair{u"pair"_s, files.target}, std::pair{u"all-missing"_s, empty}}) {
        child<QLineEdit>(panel, u"sourceFileEdit"_s)->setText(files.sourceZip);
        child<QLineEdit>(panel, u"targetFileEdit"_s)->setText(target);
        QEventLoop loop;
        QObject::connect(session.review(), &IntegrityReview::finished, &loop, &QEventLoop::quit);
        QObject::connect(session.review(), &IntegrityReview::failed, &loop, [&](const QString &, const Error &e) {
            QTextStream(stderr) << e.toString() << '\n';
            loop.quit();
        });
        // The event loop's longest gap while the comparison runs in the background.
        QElapsedTimer gap;
        qint64 maxGapMs = 0, maxGapAtMs = 0;
        QElapsedTimer t;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, [&] {
            const qint64 g = gap.restart();
            if (g > maxGapMs) {
                maxGapMs = g;
                maxGapAtMs = t.elapsed();
            }
        });
        t.start();
        gap.start();
        tick.start(5);
        child<QPushButton>(panel, u"compareButton"_s)->click();
        loop.exec();
        tick.stop();
        const double compareS = double(t.nsecsElapsed()) / 1e9;
        if (qEnvironmentVariableIsSet("BENCH_REVIEW_GAPS"))
            out() << "# " << name << ": longest gap " << maxGapMs << " ms ending at " << maxGapAtMs << " ms of "
                  << t.elapsed() << " ms\n";
        const int rows = table->model()->rowCount();
        auto *kind = child<QComboBox>(panel, u"kindFilterCombo"_s);
        auto *field = child<QComboBox>(panel, u"fieldFilterCombo"_s);
        auto *text = child<QLineEdit>(panel, u"textFilterEdit"_s);
        const double kindMs = timed(&window, [&] { kind->setCurrentIndex(kind->findData(int(DiffKind::Missing))); });
        kind->setCurrentIndex(0);
        const double fieldMs = timed(&window, [&] { field->setCurrentIndex(std::min(1, field->count() - 1)); });
        field->setCurrentIndex(0);
        const double textMs = timed(&window, [&] { text->setText(u"lovelace.9"_s); });
        const double clearMs = timed(&window, [&] { text->clear(); });
        const double scrollMs = timed(&window, [&] { table->scrollToBottom(); });
        const double detailMs = timed(&window, [&] {
            table->setCurrentIndex(table->model()->index(table->model()->rowCount() - 1, 1));
        });
        out() << name << ',' << rows << ',' << QString::number(compareS, 'f', 2) << ',' << maxGapMs << ','
              << QString::number(kindMs, 'f', 1) << ',' << QString::number(fieldMs, 'f', 1) << ','
              << QString::number(textMs, 'f', 1) << ',' << QString::number(clearMs, 'f', 1) << ','
              << QString::number(scrollMs, 'f', 1) << ',' << QString::number(detailMs, 'f', 1) << '\n'
              << Qt::flush;
        if (name == u"all-missing"_s && rows != expected.sourceRecords) {
            QTextStream(stderr) << "expected every source record missing, got " << rows << " rows\n";
            return 1;
        }
    }
    return 0;
}
