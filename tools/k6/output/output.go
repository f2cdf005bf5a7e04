// Package output is Gauntlet's k6 output extension: `--out gauntlet=<file.csv>`.
//
// It writes the columns and row format of k6's own CSV output (metric_name, timestamp in unix
// microseconds, metric_value, the enabled indexable system tags in name order, extra_tags,
// metadata), so every reader of a k6 CSV reads it, but only the metrics Gauntlet's
// post-processor reads (K6_GAUNTLET_METRICS; by default http_req_duration, http_req_failed,
// dropped_iterations, and the two Gauntlet's decision scripts write only for their exceptions:
// gauntlet_answer_check_failed and gauntlet_orders_answered). k6 emits about a dozen samples per
// HTTP iteration; k6's CSV output formats every one of them, building a map of its tags each
// time, on the machine the governor being judged shares. Here two samples an iteration are
// written, and a time series' tag columns are formatted once.
package output

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.k6.io/k6/v2/metrics"
	"go.k6.io/k6/v2/output"
)

// DefaultMetrics are the metrics Gauntlet's post-processor reads (core/analysis/run-digest.ts):
// k6's own, and the two a decision script writes only for the exceptions (scripts/lib/decision.ts).
const DefaultMetrics = "http_req_duration,http_req_failed,dropped_iterations,gauntlet_answer_check_failed,gauntlet_orders_answered"

func init() {
	output.RegisterExtension("gauntlet", New)
}

// Output buffers the wanted samples and writes them every flush interval.
type Output struct {
	fileName string
	wanted   map[string]bool
	interval time.Duration

	mu      sync.Mutex
	pending []metrics.Sample

	file    io.WriteCloser
	writer  *bufio.Writer
	flusher *output.PeriodicFlusher

	columns []string        // the indexable system tags written as columns, by name
	skipped map[string]bool // tags neither written as a column nor as an extra tag
	tagText map[*metrics.TagSet][]byte
	row     []byte
}

// New reads the file name from the --out argument and the metrics from K6_GAUNTLET_METRICS.
func New(params output.Params) (output.Output, error) {
	fileName := strings.TrimPrefix(params.ConfigArgument, "file=")
	if fileName == "" {
		return nil, fmt.Errorf("gauntlet output: give a file, e.g. --out gauntlet=k6-output.csv")
	}
	list := params.Environment["K6_GAUNTLET_METRICS"]
	if list == "" {
		list = DefaultMetrics
	}
	wanted := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		if name = strings.TrimSpace(name); name != "" {
			wanted[name] = true
		}
	}
	interval := 250 * time.Millisecond
	if text := params.Environment["K6_GAUNTLET_FLUSH_INTERVAL"]; text != "" {
		parsed, err := time.ParseDuration(text)
		if err != nil || parsed <= 0 {
			return nil, fmt.Errorf("gauntlet output: K6_GAUNTLET_FLUSH_INTERVAL=%q is not a positive duration", text)
		}
		interval = parsed
	}
	columns, skipped := tagColumns(params.ScriptOptions.SystemTags)
	return &Output{
		fileName: fileName,
		wanted:   wanted,
		interval: interval,
		columns:  columns,
		skipped:  skipped,
		tagText:  map[*metrics.TagSet][]byte{},
	}, nil
}

// tagColumns: the enabled system tags that are indexed (not iter or vu) become columns, sorted
// by name as k6's CSV output sorts them; the disabled ones are never written.
func tagColumns(enabled *metrics.SystemTagSet) ([]string, map[string]bool) {
	set := metrics.DefaultSystemTagSet
	if enabled != nil {
		set = *enabled
	}
	columns := []string{}
	skipped := map[string]bool{}
	for _, tag := range metrics.SystemTagValues() {
		if metrics.NonIndexableSystemTags.Has(tag) {
			continue
		}
		if set.Has(tag) {
			columns = append(columns, tag.String())
		} else {
			skipped[tag.String()] = true
		}
	}
	sort.Strings(columns)
	for _, column := range columns {
		skipped[column] = true // written in its own column, not again among the extra tags
	}
	return columns, skipped
}

// Description is shown by `k6 run`.
func (o *Output) Description() string {
	return fmt.Sprintf("gauntlet (%s)", o.fileName)
}

// Start creates the file, writes the header and starts the periodic flush.
func (o *Output) Start() error {
	file, err := os.Create(o.fileName)
	if err != nil {
		return err
	}
	o.file = file
	o.writer = bufio.NewWriterSize(file, 1<<16)
	header := append(append([]string{"metric_name", "timestamp", "metric_value"}, o.columns...), "extra_tags", "metadata")
	if _, err := o.writer.WriteString(strings.Join(header, ",") + "\n"); err != nil {
		return err
	}
	if err := o.writer.Flush(); err != nil {
		return err
	}
	flusher, err := output.NewPeriodicFlusher(o.interval, o.flush)
	if err != nil {
		return err
	}
	o.flusher = flusher
	return nil
}

// AddMetricSamples keeps the wanted samples; it runs on k6's metrics loop, so it only filters.
func (o *Output) AddMetricSamples(containers []metrics.SampleContainer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, container := range containers {
		for _, sample := range container.GetSamples() {
			if o.wanted[sample.Metric.Name] {
				o.pending = append(o.pending, sample)
			}
		}
	}
}

// Stop writes what is left and closes the file.
func (o *Output) Stop() error {
	o.flusher.Stop() // runs a last flush
	if err := o.writer.Flush(); err != nil {
		return err
	}
	return o.file.Close()
}

func (o *Output) flush() {
	o.mu.Lock()
	samples := o.pending
	o.pending = make([]metrics.Sample, 0, len(samples))
	o.mu.Unlock()
	for i := range samples {
		o.row = o.appendRow(o.row[:0], &samples[i])
		if _, err := o.writer.Write(o.row); err != nil {
			fmt.Fprintf(os.Stderr, "gauntlet output: writing %s: %v\n", o.fileName, err)
			return
		}
	}
	if err := o.writer.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gauntlet output: writing %s: %v\n", o.fileName, err)
	}
}

func (o *Output) appendRow(row []byte, sample *metrics.Sample) []byte {
	row = appendField(row, sample.Metric.Name)
	row = append(row, ',')
	row = strconv.AppendInt(row, sample.Time.UnixMicro(), 10)
	row = append(row, ',')
	row = strconv.AppendFloat(row, sample.Value, 'f', 6, 64)
	row = append(row, o.tagsText(sample.Tags)...)
	row = append(row, ',')
	start := len(row)
	for key, value := range sample.Metadata {
		if len(row) > start {
			row = append(row, '&')
		}
		row = append(row, key...)
		row = append(row, '=')
		row = append(row, value...)
	}
	if metadata := string(row[start:]); needsQuotes(metadata) {
		row = appendField(row[:start], metadata)
	}
	return append(row, '\n')
}

// tagsText: ",<column>…,<extra_tags>" for one time series' tags, formatted on first use (a tag
// set is interned by k6: the same tags are the same pointer).
func (o *Output) tagsText(tags *metrics.TagSet) []byte {
	if text, ok := o.tagText[tags]; ok {
		return text
	}
	values := map[string]string{}
	if tags != nil {
		values = tags.Map()
	}
	var text []byte
	for _, column := range o.columns {
		text = append(text, ',')
		text = appendField(text, values[column])
	}
	extra := make([]string, 0, len(values))
	for key, value := range values {
		if !o.skipped[key] {
			extra = append(extra, key+"="+value)
		}
	}
	sort.Strings(extra)
	text = append(text, ',')
	text = appendField(text, strings.Join(extra, "&"))
	o.tagText[tags] = text
	return text
}

// appendField quotes a field as encoding/csv does when it holds a separator, a quote or a line
// break, or starts with a space.
func appendField(row []byte, field string) []byte {
	if !needsQuotes(field) {
		return append(row, field...)
	}
	row = append(row, '"')
	row = append(row, strings.ReplaceAll(field, `"`, `""`)...)
	return append(row, '"')
}

func needsQuotes(field string) bool {
	return field != "" && (strings.ContainsAny(field, ",\"\r\n") || field[0] == ' ' || field[0] == '\t')
}
