/* Marks the page as running scripts, so controls that need them (the department search) are shown. */
document.documentElement.classList.add("js");
