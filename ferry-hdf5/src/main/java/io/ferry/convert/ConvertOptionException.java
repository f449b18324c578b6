package io.ferry.convert;

import io.ferry.FerryException;

import java.util.Locale;
import java.util.Objects;

/// A [ConvertOptions] value that breaks its rule, naming the option, so that each caller can say
/// it in its own words: the library by the component's name, `ferry convert` by its option.
///
/// ```java
/// try {
///     ConvertOptions.builder().workers(0).build();
///     assert false;
/// } catch (ConvertOptionException e) {
///     assert e.option().equals("workers");
///     assert e.getMessage().equals("workers takes a number of workers, 1 or more, not 0");
///     assert e.describe("--workers").equals("--workers takes a number of workers, 1 or more, not 0");
///     assert e.commandLineMessage().equals(e.describe("--workers"));
/// }
/// ```
public final class ConvertOptionException extends FerryException {
    private final String option;
    private final String template;

    /// @param option   the [ConvertOptions] component, such as `chunkRows`
    /// @param template the message, with `%s` where the option's name goes
    ConvertOptionException(String option, String template) {
        super(template.replace("%s", option));
        this.option = Objects.requireNonNull(option, "option");
        this.template = template;
    }

    /// {@return the name of the [ConvertOptions] component that is wrong}, such as `chunkRows`
    public String option() {
        return option;
    }

    /// {@return the message with the option called `name`}, as a command line spells it
    public String describe(String name) {
        return template.replace("%s", name);
    }

    /// {@return the message with the option spelled as `ferry convert` and `ferry-spark` take it}:
    /// component `chunkRows` is `--chunk-rows`
    public String commandLineMessage() {
        return describe("--" + option.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT));
    }
}
